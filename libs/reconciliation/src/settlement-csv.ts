import { DomainError } from '@switchyard/common';

export interface SettlementRow {
  connectorTransactionId: string;
  amount: number;
  currency: string;
  status: string;
}

const HEADER = ['connector_transaction_id', 'amount', 'currency', 'status'];

/**
 * The settlement import format: a header line `connector_transaction_id,amount,currency,status`, then one row per
 * settled transaction with the amount in integer minor units. Processors' own report formats are converted to this by
 * their connector (none of today's connectors publishes one the sandbox can imitate faithfully).
 */
export function parseSettlementCsv(text: string): SettlementRow[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return [];
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) {
    throw new DomainError(
      'InvalidDataFormat',
      `settlement_csv contains invalid data. Expected format is a header line ${HEADER.join(',')}`,
    );
  }
  return lines.slice(1).map((line, index) => {
    const [id, amount, currency, status] = line.split(',').map((c) => c.trim());
    if (!id || !/^\d+$/.test(amount ?? '') || !/^[A-Z]{3}$/.test(currency ?? '')) {
      throw new DomainError(
        'InvalidDataFormat',
        `settlement_csv contains invalid data. Expected format is line ${index + 2}: id, integer minor units, ISO currency, status`,
      );
    }
    return { connectorTransactionId: id, amount: Number(amount), currency, status: status ?? '' };
  });
}

/** RFC 4180 quoting for the export. */
export function toCsv(rows: (string | number | null)[][]): string {
  return rows
    .map((row) =>
      row
        .map((cell) => {
          const text = cell === null ? '' : String(cell);
          return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
        })
        .join(','),
    )
    .join('\n');
}
