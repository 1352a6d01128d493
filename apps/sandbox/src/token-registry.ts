/** What a fake processor needs of a bearer token it issued. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresAt: number;
  revoked: boolean;
}

/** The bearer tokens one fake processor issued: looked up, listed and revoked the same way for every sandbox. */
export class TokenRegistry<T extends IssuedToken> {
  private readonly tokens = new Map<string, T>();

  constructor(private readonly now: () => number) {}

  add(token: T): T {
    this.tokens.set(token.accessToken, token);
    return token;
  }

  /** The token if it was issued here, is not revoked and has not expired. */
  findActive(accessToken: string): T | undefined {
    const token = this.tokens.get(accessToken);
    return token && this.isActive(token) ? token : undefined;
  }

  isActive(token: T): boolean {
    return !token.revoked && this.now() < token.expiresAt;
  }

  list(): T[] {
    return [...this.tokens.values()];
  }

  /** Revokes every token still active; returns how many. */
  revokeAll(): number {
    let revoked = 0;
    for (const token of this.tokens.values()) {
      if (!this.isActive(token)) continue;
      token.revoked = true;
      revoked += 1;
    }
    return revoked;
  }
}
