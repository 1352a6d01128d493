import { luhnValid, maskPans } from './pan';

describe('luhnValid', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4012000033330026')).toBe(true);
    expect(luhnValid('4012000033330027')).toBe(false);
    expect(luhnValid('345678901234564')).toBe(true);
  });
});

describe('maskPans', () => {
  it('masks Luhn-valid card numbers in free text and leaves other digits alone', () => {
    expect(maskPans('card 4012000033330026 declined')).toBe('card 401200******0026 declined');
    expect(maskPans('card 4012-0000-3333-0026')).toBe('card 401200******0026');
    expect(maskPans('order 1234567890123 amount 100')).toBe('order 1234567890123 amount 100');
  });
});
