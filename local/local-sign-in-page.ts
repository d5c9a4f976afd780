/** The authorize request's parameters the sign-in form carries on to its POST. */
const CARRIED = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method'];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The local sign-in page: pick the firm (tenant) to work as. Local only, never deployed; on AWS
 * the user pool's managed login asks for e-mail, password and TOTP instead. Self-contained (no
 * scripts, no fonts from elsewhere) and accessible: one labelled field, one button.
 */
export function renderSignInPage(options: { params?: URLSearchParams; tenant?: string; error?: string; refusal?: string }): string {
  const body = options.refusal
    ? `<h1>Innlogging avvist</h1><p role="alert">${escape(options.refusal)}</p>`
    : `<h1>Logg inn lokalt</h1>
  <p>Lokal innlogging for utvikling: velg firmaet (tenant) du vil arbeide som. Finnes ikke på AWS.</p>
  <form method="post" action="/oauth2/authorize">
    ${CARRIED.filter((name) => options.params?.get(name))
      .map((name) => `<input type="hidden" name="${name}" value="${escape(options.params!.get(name)!)}">`)
      .join('\n    ')}
    <label for="tenant">Tenant-id</label>
    <input id="tenant" name="tenant" value="${escape(options.tenant ?? '')}" required pattern="[A-Za-z0-9_\\-]{1,64}" autocomplete="off"
      aria-describedby="tenant-hint${options.error ? ' tenant-error' : ''}"${options.error ? ' aria-invalid="true"' : ''}>
    <p id="tenant-hint" class="hint">1–64 tegn: A–Z, a–z, 0–9, _ og -. Demofirmaet er <code>demo</code>.</p>
    ${options.error ? '<p id="tenant-error" class="error" role="alert">Ugyldig tenant-id.</p>' : ''}
    <button type="submit">Logg inn</button>
  </form>`;
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frist – lokal innlogging</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; background: #f1f3f5; color: #212529; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; border: 1px solid #495057; border-radius: 4px; }
  .hint { color: #495057; font-size: .875rem; }
  .error { color: #c92a2a; }
  button { font: inherit; margin-top: 1rem; padding: .5rem 1.25rem; background: #1864ab; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  :focus-visible { outline: 3px solid #1c7ed6; outline-offset: 2px; }
</style>
</head>
<body>
<main>
  ${body}
</main>
</body>
</html>
`;
}
