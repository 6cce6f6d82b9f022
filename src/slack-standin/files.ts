/**
 * Files uploaded the way web-api's filesUploadV2 does it: files.getUploadURLExternal mints an upload URL on
 * the stand-in's own server, the bytes are POSTed there, files.completeUploadExternal shares them. The store
 * keeps the bytes so a test (or the playground) can look at exactly what the bot uploaded.
 */
import { randomBytes } from 'node:crypto';
import type { StoredFile } from './model';

interface Upload {
  id: string;
  filename: string;
  length: number;
  altText?: string;
  token: string;
  bytes?: Buffer;
  completed?: StoredFile;
}

const MIMETYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
};

function extension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export class FileStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly byToken = new Map<string, Upload>();
  private sequence = 0;

  constructor(
    private readonly clock: () => number,
    private readonly place: { baseUrl: string; team: { id: string; domain: string }; botUser: string },
  ) {}

  /** Where the bytes of an upload are POSTed. */
  uploadUrl(token: string): string {
    return `${this.place.baseUrl}/upload/v1/${token}`;
  }

  /** A new file id and the secret part of its upload URL. */
  mint(filename: string, length: number, altText?: string): { id: string; token: string } {
    this.sequence += 1;
    const id = `F0${String(this.sequence).padStart(9, '0')}`;
    const token = randomBytes(12).toString('hex');
    const upload: Upload = { id, filename, length, token, ...(altText ? { altText } : {}) };
    this.uploads.set(id, upload);
    this.byToken.set(token, upload);
    return { id, token };
  }

  /** The bytes POSTed to an upload URL; the file id, or undefined for an unknown (or used) URL. */
  receive(token: string, bytes: Buffer): string | undefined {
    const upload = this.byToken.get(token);
    if (!upload || upload.completed) return undefined;
    upload.bytes = bytes;
    return upload.id;
  }

  /** Bytes arrived for it and it is not shared yet: completeUploadExternal may share it. */
  ready(id: string): boolean {
    const upload = this.uploads.get(id);
    return !!upload?.bytes && !upload.completed;
  }

  /** Shares an uploaded file: 'file_not_found' for an id never minted, not uploaded to, or already shared. */
  complete(id: string, title: string | undefined): StoredFile | 'file_not_found' {
    const upload = this.uploads.get(id);
    if (!upload?.bytes || upload.completed) return 'file_not_found';
    const filetype = extension(upload.filename);
    const size = pngSize(upload.bytes);
    const { baseUrl, team, botUser } = this.place;
    const name = encodeURIComponent(upload.filename);
    upload.completed = {
      id,
      name: upload.filename,
      title: title || upload.filename,
      mimetype: MIMETYPES[filetype] ?? 'application/octet-stream',
      filetype,
      size: upload.bytes.length,
      created: Math.floor(this.clock() / 1000),
      user: botUser,
      urlPrivate: `${baseUrl}/files-pri/${team.id}-${id}/${name}`,
      permalink: `https://${team.domain}.slack.com/files/${botUser}/${id}/${name}`,
      ...(upload.altText ? { altText: upload.altText } : {}),
      ...(size ? { imageSize: size } : {}),
    };
    this.byToken.delete(upload.token);
    return upload.completed;
  }

  file(id: string): StoredFile | undefined {
    return this.uploads.get(id)?.completed;
  }

  /** What was uploaded for this id (before or after it was shared). */
  bytes(id: string): Buffer | undefined {
    return this.uploads.get(id)?.bytes;
  }

  list(): StoredFile[] {
    return [...this.uploads.values()].flatMap((upload) => (upload.completed ? [upload.completed] : []));
  }
}
