import { randomBytes } from 'node:crypto';
import { TAP_CARD_ERRORS, type TapCardFacts } from './tap.cards';

/** A card token (`tok_…`): single use, valid a few minutes (tap.md), owned by the secret key that made it. */
export interface TapTokenRecord {
  readonly id: string;
  readonly cardId: string;
  readonly apiKey: string;
  readonly createdAt: number;
  readonly card: TapCardFacts;
  used: boolean;
}

const id = (prefix: string): string => `${prefix}_TS0${randomBytes(12).toString('hex')}`;

/** The sandbox's card tokens, in memory. */
export class TapTokens {
  private readonly tokens = new Map<string, TapTokenRecord>();

  constructor(
    private readonly now: () => number,
    /** How long a token stays usable (5 minutes; tests shorten it). */
    private readonly ttlMs: () => number,
  ) {}

  issue(apiKey: string, card: TapCardFacts): TapTokenRecord {
    const token: TapTokenRecord = {
      id: id('tok'),
      cardId: id('card'),
      apiKey,
      createdAt: this.now(),
      card,
      used: false,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  find(apiKey: string, tokenId: string): TapTokenRecord | undefined {
    const token = this.tokens.get(tokenId);
    return token?.apiKey === apiKey ? token : undefined;
  }

  expired(token: TapTokenRecord): boolean {
    return this.now() >= token.createdAt + this.ttlMs();
  }

  /** The token's card, once: another key's, an unknown, a used or an expired token is refused. */
  usable(apiKey: string, tokenId: string): TapTokenRecord {
    const token = this.find(apiKey, tokenId);
    if (!token) throw TAP_CARD_ERRORS.tokenNotFound();
    if (token.used) throw TAP_CARD_ERRORS.tokenUsed();
    if (this.expired(token)) throw TAP_CARD_ERRORS.tokenExpired();
    return token;
  }
}

/** What `POST /v2/tokens` (and `GET /v2/tokens/{id}`) answer. */
export function tokenView(t: TapTokenRecord, expired: boolean): object {
  const c = t.card;
  return {
    id: t.id,
    status: t.used || expired ? 'INACTIVE' : 'ACTIVE',
    created: t.createdAt,
    object: 'token',
    live_mode: false,
    type: 'CARD',
    used: t.used,
    card: {
      id: t.cardId,
      object: 'card',
      funding: c.funding,
      fingerprint: c.fingerprint,
      brand: c.brand,
      scheme: c.scheme,
      name: c.name,
      exp_month: c.expMonth,
      exp_year: c.expYear % 100,
      last_four: c.lastFour,
      first_six: c.firstSix,
      first_eight: c.firstEight,
    },
  };
}
