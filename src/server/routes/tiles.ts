import type { FastifyPluginAsync } from 'fastify';
import { HASH_SIZE } from '../../tlog/hash.js';
import { encodeEntryBundle, parseTilePath, TILE_WIDTH, tileWidthAt } from '../../tlog/tiles.js';
import { LogError } from '../../log/errors.js';
import type { LogRouteOptions } from '../log-routes.js';
import { FullTileCache } from './full-tile-cache.js';

/** Memory for full tiles and bundles already served (a bundle of 300-byte entries is ~77 KiB). */
const FULL_TILE_CACHE_BYTES = 64 * 1024 * 1024;

/** c2sp.org/tlog-tiles: full tiles never change; clients and CDNs may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * A partial tile's bytes never change either, but it is superseded by the full tile, and a log
 * may prune partial tiles (tlog-tiles, "Pruning"): keep them briefly.
 */
const PARTIAL = 'public, max-age=60';
/** The checkpoint moves with every batch: seconds at most (tlog-tiles). */
const CHECKPOINT = 'public, max-age=5';

/** `GET /checkpoint`, `GET /tile/<L>/<N>[.p/<W>]`, `GET /tile/entries/<N>[.p/<W>]`. */
export const tileRoutes: FastifyPluginAsync<LogRouteOptions> = (app, { log, store }) => {
  const fullTiles = new FullTileCache(FULL_TILE_CACHE_BYTES);
  app.get('/checkpoint', (_request, reply) => {
    const published = log.published;
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', CHECKPOINT)
      .send(published.cosignedNote ?? published.note);
  });

  app.get('/tile/*', async (request, reply) => {
    // The raw path, not the router's percent-decoded parameter: `/tile/%30/000` must not alias
    // `/tile/0/000` (one tile, one URL, one cache key). Throws TLOG_TILE_PATH_INVALID (400) for
    // anything but the canonical form, percent-encodings included.
    const tile = parseTilePath(rawPath(request.raw.url ?? '').slice(1));
    const size = log.checkpoint.size;
    const level = tile.kind === 'hash' ? tile.level : 0;
    const available = tileWidthAt(level, tile.index, size);
    // A partial tile of any width the log has passed stays servable (every checkpointed size).
    if (available === 0 || tile.width > available) {
      throw new LogError('LOG_NOT_FOUND', `${request.url} is beyond the tree of size ${size}`);
    }
    const full = tile.width === TILE_WIDTH;
    const cacheKey = `${tile.kind === 'hash' ? tile.level : 'entries'}/${tile.index}`;
    let body = full ? fullTiles.get(cacheKey) : undefined;
    if (body !== undefined) {
      return reply.type('application/octet-stream').header('cache-control', IMMUTABLE).send(body);
    }
    if (tile.kind === 'hash') {
      const row = await store.readTile(tile.level, tile.index);
      if (row === undefined || row.length < tile.width * HASH_SIZE) {
        throw new LogError('LOG_NOT_FOUND', `${request.url} is not stored`);
      }
      body = row.subarray(0, tile.width * HASH_SIZE);
    } else {
      const entries = await store.readEntries(tile.index * TILE_WIDTH, tile.width);
      if (entries.length < tile.width) {
        throw new LogError('LOG_NOT_FOUND', `${request.url} is not stored`);
      }
      body = encodeEntryBundle(entries);
    }
    if (full) fullTiles.set(cacheKey, body);
    return reply
      .type('application/octet-stream')
      .header('cache-control', tile.width === TILE_WIDTH ? IMMUTABLE : PARTIAL)
      .send(body);
  });
  return Promise.resolve();
};

/** The request target's path as the client sent it: no query, nothing decoded. */
function rawPath(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
