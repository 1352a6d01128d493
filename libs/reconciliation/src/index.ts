export * from './reconciliation.service';
export * from './reconciliation.module';
export * from './settlement-csv';
