import { connectorError } from './unified-codes';

describe('connectorError', () => {
  it('masks a card number a processor echoes in its message, keeping code and unified code', () => {
    expect(connectorError('1201', 'Card 4508750015741019 is not valid', 'invalidRequest')).toEqual({
      code: '1201',
      message: 'Card 450875******1019 is not valid',
      unifiedCode: 'UE_2000',
      unifiedMessage: 'The processor rejected the request as invalid',
    });
  });
});
