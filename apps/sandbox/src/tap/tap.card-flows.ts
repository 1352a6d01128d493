import type { Request } from '../express-typed';
import type { SandboxContext } from '../sandbox.types';
import { AUTHENTICATION_FAILED, cardOutcome, parseCardRequest, TAP_CARD_ERRORS } from './tap.cards';
import { TAP_ERRORS } from './tap.errors';
import type { TapChargeRecord, TapObjectKind } from './tap.records';
import type { TapScript } from './tap.scripts';
import type { TapStore } from './tap.store';
import { tokenView } from './tap.tokens';
import type { TapCreateInput } from './tap.validation';
import type { TapWebhookSender } from './tap.webhooks';

/**
 * Server-to-server cards: `POST /v2/tokens`, charges and authorizations on a `tok_…` source, and the 3-D Secure
 * challenge that an enrolled card gets when the charge asks for threeDSecure (Tap's default).
 */
export class TapCardFlows {
  constructor(
    private readonly store: TapStore,
    private readonly ctx: SandboxContext,
    private readonly webhooks: TapWebhookSender,
  ) {}

  tokenize(apiKey: string, body: unknown): object {
    const token = this.store.tokens.issue(apiKey, parseCardRequest(body));
    this.store.stats.tokensCreated += 1;
    return tokenView(token, false);
  }

  retrieveToken(apiKey: string, tokenId: string): object {
    const token = this.store.tokens.find(apiKey, tokenId);
    if (!token) throw TAP_CARD_ERRORS.tokenNotFound();
    return tokenView(token, this.store.tokens.expired(token));
  }

  /**
   * Uses the token up and makes the charge: INITIATED with the challenge page for an enrolled card under threeDSecure,
   * otherwise settled at once by the card's expiry and CVC (with its webhook).
   */
  charge(
    req: Request,
    apiKey: string,
    object: TapObjectKind,
    input: TapCreateInput,
    script: TapScript,
  ): TapChargeRecord {
    const token = this.store.tokens.usable(apiKey, input.sourceId);
    const challenge = input.threeDSecure && token.card.enrolled;
    if (challenge && !input.redirectUrl) throw TAP_ERRORS.redirectUrlMissing();
    token.used = true;
    const { card } = token;
    const record = this.store.createCharge({
      ...input,
      object,
      apiKey,
      script,
      transactionUrl: null,
      cardOutcome: cardOutcome(card, object, this.ctx.now()),
      card: { first_six: card.firstSix, scheme: card.scheme, brand: card.brand, last_four: card.lastFour },
    });
    if (challenge) {
      record.transactionUrl = this.ctx.publicLink(req, `/tap/3ds/${encodeURIComponent(record.id)}`);
    } else {
      this.settleCard(record, true);
    }
    return record;
  }

  /** The shopper passed or failed the 3-D Secure challenge (or a charge needed none: `passed`). */
  settleCard(record: TapChargeRecord, passed: boolean): void {
    const outcome = passed ? record.cardOutcome : { status: 'FAILED' as const, response: AUTHENTICATION_FAILED };
    if (!outcome) return;
    this.store.settle(record, outcome.status, null, outcome.response);
    this.webhooks.chargeSettled(record);
  }
}
