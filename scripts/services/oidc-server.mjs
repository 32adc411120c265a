// oidc-provider (a certified OpenID Provider), the Keycloak stand-in of the test harness.
// Started by scripts/services/oidc.sh, which copies this file next to its node_modules.
// Everything secret (signing key, cookie keys, client secret) comes from the environment or is made
// here at start; nothing is stored.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) { console.error(`${name} is not set`); process.exit(2); }
  return value;
};

const port = Number(env('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}`;
const resource = env('OIDC_RESOURCE');
const scopes = ['datasets:read', 'datasets:write', 'traces:write'];

// Personas: extra confidential clients (same secret as OIDC_CLIENT_ID) whose client-credentials tokens carry the
// claims Keycloak puts in a platform user's token: preferred_username, name, email, the dataset service's client
// roles (resource_access.dataset-service.roles) and groups (PROJECT-<code>, ADMINS-PROJECT-<code>). Tests ask for a
// token as a persona to act with those roles; `ttl` (seconds) makes a persona whose tokens expire at once.
// The list is personas.json beside this script (oidc.sh copies scripts/services/oidc-personas.json there).
const personasFile = new URL('./personas.json', import.meta.url);
const personas = existsSync(personasFile) ? JSON.parse(readFileSync(personasFile, 'utf8')).personas : [];
const personaById = new Map(personas.map((p) => [p.client_id, p]));
const personaClaims = (p) => ({
  preferred_username: p.username,
  name: p.name,
  email: p.email,
  resource_access: { 'dataset-service': { roles: p.roles ?? [] } },
  groups: p.groups ?? [],
});

// A fresh RS256 signing key per start: tokens from an earlier run must not verify.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      // Services and jobs: client credentials with a secret.
      client_id: env('OIDC_CLIENT_ID'),
      client_secret: env('OIDC_CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    },
    {
      // The CLI and notebooks: a public client that logs a person in with the device flow.
      client_id: env('OIDC_DEVICE_CLIENT_ID'),
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
      scope: ['openid', 'profile', 'offline_access', ...scopes].join(' '),
    },
    ...personas.map((p) => ({
      client_id: p.client_id,
      client_secret: env('OIDC_CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    })),
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'profile', 'offline_access', ...scopes],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  // devInteractions logs in any user name; the account is just that name.
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, name: id, preferred_username: id }),
  }),
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    // Access tokens for the platform API are JWTs with the API as audience.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator, client) => {
        if (indicator !== resource) {
          throw new Provider.errors.InvalidTarget(`unknown resource ${indicator}`);
        }
        const ttl = personaById.get(client?.clientId)?.ttl ?? 3600;
        return { scope: scopes.join(' '), audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: ttl };
      },
    },
  },
  // A persona's tokens carry its user claims; every other client's tokens carry none beyond the standard ones.
  extraTokenClaims: (ctx, token) => {
    const persona = personaById.get(token.clientId);
    return persona ? personaClaims(persona) : undefined;
  },
  // The device client asks for offline_access; give it a refresh token whenever it may have one.
  issueRefreshToken: (ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  ttl: { DeviceCode: 600, RefreshToken: 86400, ClientCredentials: 3600, Interaction: 600, Session: 3600, Grant: 86400 },
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
