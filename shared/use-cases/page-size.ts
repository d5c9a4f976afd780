import type { Page } from '../domain/model.ts';

/**
 * What a page's rows may weigh, as the answer carries them. The answer leaves the api function
 * as its invocation's response, which Lambda caps at 6 MB (6,291,556 bytes), the body in it an
 * escaped JSON string; a larger one fails, and API Gateway answers 502 for that page at every
 * try. A task or a template carries its notices, up to about 64 KB of text as the API takes it,
 * and twice that in the response when it is all quotation marks: 100 such rows would not fit.
 * The rest of the 6 MB is left for the headers, the cursor and the envelope.
 */
export const PAGE_RESPONSE_BYTES = 5 * 1024 * 1024;

/**
 * The page of `rows` (made from `page.items`, one each, in order) that fits PAGE_RESPONSE_BYTES:
 * all of them, or those up to the last that fits (at least one) with the cursor after it, which
 * `cursorAfter` makes from that row's item.
 */
export function fitToResponse<T, R>(page: Page<T>, rows: R[], cursorAfter: (item: T) => string): Page<R> {
  let bytes = 0;
  for (const [i, row] of rows.entries()) {
    // The row as JSON, then as part of the body string escaped in the invocation's response.
    bytes += Buffer.byteLength(JSON.stringify(JSON.stringify(row))) + 1;
    if (bytes > PAGE_RESPONSE_BYTES) {
      const fit = Math.max(1, i);
      return { items: rows.slice(0, fit), nextCursor: cursorAfter(page.items[fit - 1]!) };
    }
  }
  return { ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}), items: rows };
}
