import type { StorageEngine } from 'multer';

/** An ArrayBuffer that grows in place (ES2024; Node 20 has it, the ES2022 lib does not declare it). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

/**
 * multer's memory storage, with each file copied into its buffer as it arrives. multer's own
 * (memoryStorage) keeps the chunks and joins them with Buffer.concat when the part ends: for a 50 MB
 * file one copy of 200–340 ms on the API's event loop (bench:upload --stalls, the page faults of a
 * fresh 50 MB buffer included). Here each chunk is copied on arrival into an ArrayBuffer that grows in
 * place up to `maxFileBytes` (address space is reserved, memory committed as it fills), so the work is
 * spread over the upload in pieces of one chunk. The buffer is the file's alone (offset 0, its whole
 * length), so the ingest service hands it to the parse worker without a copy. Nothing touches disk.
 */
export function receivedInPlace(maxFileBytes: number): StorageEngine {
  return {
    _handleFile(_req, file, callback) {
      const bytes = new Resizable(0, { maxByteLength: maxFileBytes });
      let settled = false;
      const settle = (error: Error | null, info?: { buffer: Buffer; size: number }): void => {
        if (settled) return;
        settled = true;
        callback(error, info);
      };
      file.stream.on('data', (chunk: Buffer) => {
        const at = bytes.byteLength;
        if (at + chunk.length > maxFileBytes) {
          // busboy stops a part at the fileSize limit (multer's LIMIT_FILE_SIZE): not reached.
          file.stream.resume();
          settle(
            Object.assign(new Error('File too large'), { code: 'LIMIT_FILE_SIZE', field: file.fieldname }),
          );
          return;
        }
        bytes.resize(at + chunk.length);
        new Uint8Array(bytes, at).set(chunk);
      });
      file.stream.on('error', (err: Error) => settle(err));
      file.stream.on('end', () => settle(null, { buffer: Buffer.from(bytes), size: bytes.byteLength }));
    },
    _removeFile(_req, file, callback) {
      delete (file as { buffer?: Buffer }).buffer;
      callback(null);
    },
  };
}
