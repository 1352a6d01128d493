/** Card numbers (PANs) as text: the Luhn check and masking, for whatever handles or relays text that may hold one. */

/** The Luhn (mod 10) check digit of a string of digits. */
export function luhnValid(pan: string): boolean {
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let digit = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Masks anything in free text that looks like a card number (13–19 digits passing Luhn), e.g. in a processor's error message. */
export function maskPans(text: string): string {
  return text.replace(/\b(?:[0-9][ -]?){12,18}[0-9]\b/g, (match) => {
    const pan = match.replace(/[ -]/g, '');
    return pan.length >= 13 && luhnValid(pan) ? `${pan.slice(0, 6)}******${pan.slice(-4)}` : match;
  });
}
