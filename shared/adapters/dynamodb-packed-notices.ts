import type { Notice } from '../domain/model.ts';

/**
 * How the task item keeps its notices: their texts are most of the item (two notices of a few
 * hundred words each are about 2 KB of a 3 KB item), and each write of a task, a move of its
 * due entry among them, costs one write unit per started KB of the whole item. So the item
 * keeps them as their JSON compressed with raw DEFLATE, in one binary attribute; prose
 * compresses to about half, and a task's notices, which often repeat each other, to less.
 * The task stays one item: a save is still one conditional write of the whole task.
 *
 * Items written before keep `notices` as a list of maps, and are read as they are; the first
 * save of such a task writes it packed (unless writing is off: noticesAttribute). The due index does not project the notices, so its
 * entries, and what the reconciler reads of them, are the same either way.
 */
export const PACKED_NOTICES = 'packedNotices';

/**
 * zlib is loaded when a task is first written or read, not when a function starts: several
 * functions build the store and never touch a task (ses-events, webhooks).
 */
const zlib = () => process.getBuiltinModule('node:zlib');

/** The notices as the item keeps them. */
function packNotices(notices: Notice[]): Uint8Array {
  return zlib().deflateRawSync(JSON.stringify(notices), { level: zlib().constants.Z_BEST_COMPRESSION });
}

/**
 * The notices' attribute of a task item a save writes: packed, or as a list as the versions
 * before packing wrote them, which read the list alone (written so while a deployment is
 * upgraded from one of them, or before it is rolled back to one: README, "Deploy"). A save
 * replaces the whole item, so it leaves no attribute of the other form behind.
 */
export function noticesAttribute(notices: Notice[], pack: boolean): Record<string, unknown> {
  return pack ? { [PACKED_NOTICES]: packNotices(notices) } : { notices };
}

/** A task item with its notices as a list again, whichever way it keeps them; other items as they are. */
export function unpackNotices(item: Record<string, unknown>): Record<string, unknown> {
  const packed = item[PACKED_NOTICES];
  if (!(packed instanceof Uint8Array)) return item;
  const { [PACKED_NOTICES]: _packed, ...rest } = item;
  return { ...rest, notices: JSON.parse(zlib().inflateRawSync(packed).toString('utf8')) as Notice[] };
}
