import PostalMime, { type Address, type Email } from 'postal-mime';

/** An .eml as sent, parsed with postal-mime (attachments, if any, are not shown). */
export function parseEmail(raw: Blob): Promise<Email> {
  return PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
}

/** Addresses as a reader writes them: `Name <address>`, groups flattened. */
export function formatAddresses(addresses: readonly Address[] | Address | undefined): string {
  const list: readonly Address[] = addresses === undefined ? [] : 'name' in addresses ? [addresses] : addresses;
  return list
    .flatMap((address) => (address.group ? address.group : [address]))
    .map((mailbox) => (mailbox.name ? `${mailbox.name} <${mailbox.address}>` : mailbox.address))
    .join(', ');
}

/**
 * The e-mail's HTML as a document for a sandboxed frame: its own Content-Security-Policy comes
 * first, so nothing in it may load from anywhere (no remote images, fonts or styles) and no
 * script may run, on top of the frame's `sandbox` that already forbids scripts.
 */
export const FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function frameDocument(html: string): string {
  const body = html.replace(/^\s*<!doctype[^>]*>/i, '');
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}"><meta name="referrer" content="no-referrer">${body}`;
}
