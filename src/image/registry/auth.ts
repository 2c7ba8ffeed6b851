import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseAuthHeader } from 'auth-header';
import { ImageReadError } from '../../util/errors.js';
import type { HttpResponse, Transport } from './transport.js';

/**
 * Registry authentication: the 401 challenge (Bearer token service or Basic), anonymous tokens,
 * and credentials from --username/--password-stdin or docker's config.json.
 *
 * Secrets (passwords, tokens, identity tokens) live only in this module's objects and in request
 * headers; every message built here names the registry and at most the user name. `Secrets` keeps
 * a list of them so the caller can scrub any message that escapes (see `redact`).
 */

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  /** docker's `identitytoken`: an OAuth2 refresh token for the token service. */
  | { kind: 'identity-token'; username: string; token: string }
  /** docker's `registrytoken`: sent as a Bearer token as is. */
  | { kind: 'registry-token'; token: string };

/** Values that must never be printed. */
export class Secrets {
  private readonly values = new Set<string>();
  add(value: string | undefined | null): void {
    if (value && value.length >= 3) this.values.add(value);
  }
  /** Replaces every known secret (and its base64 forms) in a text. */
  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join('***');
    return out;
  }
}

export function addCredentialSecrets(secrets: Secrets, credentials: Credentials | null): void {
  if (!credentials) return;
  if (credentials.kind === 'basic') {
    secrets.add(credentials.password);
    secrets.add(Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'));
  } else {
    secrets.add(credentials.token);
  }
}

/** Docker Hub answers under several names; they share one entry in config.json. */
const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** "https://index.docker.io/v1/" → "index.docker.io"; "HOST:PORT" stays. */
export function configKeyHost(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function sameRegistry(a: string, b: string): boolean {
  return a === b || (DOCKER_HUB.has(a) && DOCKER_HUB.has(b));
}

/** Where docker keeps its config: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(env.HOME || homedir(), '.docker');
  return join(dir, 'config.json');
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

/**
 * The credentials docker's config.json holds for a registry (its `auths` map; credential helpers
 * and stores are not run). Null when there is no file or no entry. A file that is not JSON is an
 * error that names the file, never its content.
 */
export async function credentialsFromDockerConfig(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | null> {
  const path = dockerConfigPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ImageReadError(`cannot read ${path}: not valid JSON`);
  }
  const auths = (doc as { auths?: unknown })?.auths;
  if (auths === null || typeof auths !== 'object') return null;
  const host = registry.toLowerCase();
  const entries = Object.entries(auths as Record<string, AuthEntry>);
  // An exact key first, then any key naming the same host.
  const entry =
    entries.find(([key]) => key.toLowerCase() === host)?.[1] ??
    entries.find(([key]) => sameRegistry(configKeyHost(key), host))?.[1];
  if (!entry || typeof entry !== 'object') return null;
  return credentialsFromEntry(entry, path);
}

function credentialsFromEntry(entry: AuthEntry, path: string): Credentials | null {
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new ImageReadError(`cannot read ${path}: an "auth" value is not base64 of user:password`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identity-token', username, token: entry.identitytoken };
  }
  if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '') {
    return { kind: 'registry-token', token: entry.registrytoken };
  }
  if (username !== '' || password !== '') return { kind: 'basic', username, password };
  return null;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Every challenge of a 401: one per WWW-Authenticate header (auth-header parses one at a time). */
export function parseChallenges(response: HttpResponse): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of response.headerValues('www-authenticate')) {
    try {
      const token = parseAuthHeader(value);
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(token.params)) params[k.toLowerCase()] = Array.isArray(v) ? v.join(' ') : v;
      challenges.push({ scheme: token.scheme.toLowerCase(), params });
    } catch {
      // An unreadable challenge is skipped; with none left the caller reports the 401.
    }
  }
  return challenges;
}

export interface AuthenticatorOptions {
  transport: Transport;
  /** The registry as named by the user (for messages and config.json lookup). */
  registry: string;
  repository: string;
  /** --username/--password-stdin, when given: they win over config.json. */
  credentials?: Credentials | null;
  secrets: Secrets;
  env?: NodeJS.ProcessEnv;
}

const TOKEN_RESPONSE_MAX = 1024 * 1024;

/** Holds the Authorization header for one repository and answers 401 challenges. */
export class Authenticator {
  private authorization: string | undefined;
  private credentials: Credentials | null | undefined;
  private readonly options: AuthenticatorOptions;

  constructor(options: AuthenticatorOptions) {
    this.options = options;
    this.credentials = options.credentials ?? undefined;
    if (options.credentials) addCredentialSecrets(options.secrets, options.credentials);
  }

  /** The header to send with the next request, if any. */
  header(): string | undefined {
    return this.authorization;
  }

  /** Whether any credentials (given or configured) are in use. */
  hasCredentials(): boolean {
    return !!this.credentials;
  }

  private async loadCredentials(): Promise<Credentials | null> {
    if (this.credentials === undefined) {
      this.credentials = await credentialsFromDockerConfig(this.options.registry, this.options.env);
      addCredentialSecrets(this.options.secrets, this.credentials);
    }
    return this.credentials;
  }

  /** Who is asking, for messages: never more than the user name. */
  private who(): string {
    const c = this.credentials;
    if (!c) return '';
    return c.kind !== 'registry-token' && c.username ? ` as "${c.username}"` : '';
  }

  /** A request was refused (401): obtain what the challenge asks for. */
  async answer(response: HttpResponse): Promise<void> {
    const challenges = parseChallenges(response);
    const credentials = await this.loadCredentials();
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (bearer) {
      if (credentials?.kind === 'registry-token') {
        this.authorization = `Bearer ${credentials.token}`;
        return;
      }
      this.authorization = `Bearer ${await this.fetchToken(bearer, credentials)}`;
      return;
    }
    if (basic) {
      if (credentials?.kind !== 'basic') throw this.required();
      this.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
      return;
    }
    throw new ImageReadError(
      `registry ${this.options.registry} refused the request (HTTP 401) without a usable authentication challenge`,
    );
  }

  /** The error for a request refused after authenticating. */
  refused(): ImageReadError {
    return this.credentials ? this.failed() : this.required();
  }

  private failed(): ImageReadError {
    return new ImageReadError(`authentication failed for ${this.options.registry}${this.who()}`);
  }

  private required(): ImageReadError {
    return new ImageReadError(
      `registry ${this.options.registry} requires authentication for ${this.options.repository} (give ` +
        '--username with --password-stdin, or log in with docker login)',
    );
  }

  private async fetchToken(challenge: Challenge, credentials: Credentials | null): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm)
      throw new ImageReadError(
        `registry ${this.options.registry} asked for a token without saying where to get it (no realm)`,
      );
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new ImageReadError(`registry ${this.options.registry} gave an invalid token realm`);
    }
    const scope = challenge.params.scope ?? `repository:${this.options.repository}:pull`;
    const service = challenge.params.service;
    const { transport } = this.options;

    let response: HttpResponse;
    if (credentials?.kind === 'identity-token') {
      // OAuth2: the identity token is a refresh token, exchanged by POST.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.token,
        client_id: 'strata',
        scope,
      });
      if (service) form.set('service', service);
      response = await transport.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
      if (credentials?.kind === 'basic') url.searchParams.set('account', credentials.username);
      const authorization =
        credentials?.kind === 'basic'
          ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
          : undefined;
      response = await transport.request(url, { headers: { accept: 'application/json' }, authorization });
    }

    if (response.status === 401 || response.status === 403) {
      response.discard();
      throw credentials ? this.failed() : this.required();
    }
    if (response.status !== 200) {
      response.discard();
      throw new ImageReadError(
        `the token service of ${this.options.registry} (${url.host}) answered HTTP ${response.status}`,
      );
    }
    const body = await response.bytes(TOKEN_RESPONSE_MAX);
    let doc: { token?: unknown; access_token?: unknown };
    try {
      doc = JSON.parse(body.toString('utf8')) as typeof doc;
    } catch {
      throw new ImageReadError(`the token service of ${this.options.registry} (${url.host}) did not answer JSON`);
    }
    const token =
      typeof doc.token === 'string' && doc.token
        ? doc.token
        : typeof doc.access_token === 'string'
          ? doc.access_token
          : '';
    if (!token)
      throw new ImageReadError(`the token service of ${this.options.registry} (${url.host}) answered without a token`);
    this.options.secrets.add(token);
    return token;
  }
}
