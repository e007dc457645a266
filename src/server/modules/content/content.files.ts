import fs from 'node:fs';
import path from 'node:path';

/**
 * Files of the content library: the type is decided by the file's first bytes (a renamed .exe stays
 * refused whatever its extension), and the extension must agree with that type.
 */
interface FileType {
  mime: string;
  extensions: string[];
}

const ZIP_OFFICE: Record<string, string> = {
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const ALLOWED_DESCRIPTION =
  'PDF, PowerPoint/Word/Excel (.pptx/.docx/.xlsx), PNG, JPEG, GIF, WebP or MP4';

/** The type of a file from its first bytes and its extension, or undefined when not allowed. */
export function detectType(head: Buffer, fileName: string): FileType | undefined {
  const ext = path.extname(fileName).toLowerCase();
  const starts = (s: string | number[], at = 0) =>
    (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s)).equals(
      head.subarray(at, at + (typeof s === 'string' ? s.length : s.length)),
    );
  let type: FileType | undefined;
  if (starts('%PDF-')) type = { mime: 'application/pdf', extensions: ['.pdf'] };
  else if (starts([0x50, 0x4b, 0x03, 0x04]))
    type = ZIP_OFFICE[ext] ? { mime: ZIP_OFFICE[ext], extensions: [ext] } : undefined;
  else if (starts([0x89, 0x50, 0x4e, 0x47])) type = { mime: 'image/png', extensions: ['.png'] };
  else if (starts([0xff, 0xd8, 0xff])) type = { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'] };
  else if (starts('GIF8')) type = { mime: 'image/gif', extensions: ['.gif'] };
  else if (starts('RIFF') && starts('WEBP', 8)) type = { mime: 'image/webp', extensions: ['.webp'] };
  else if (starts('ftyp', 4)) type = { mime: 'video/mp4', extensions: ['.mp4', '.m4v', '.mov'] };
  if (!type?.extensions.includes(ext)) return undefined;
  return type;
}

export function readHead(file: string, bytes = 16): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** A stored file's path from its storage key (always inside the content folder). */
export function storedPath(contentDir: string, storageKey: string): string {
  const full = path.resolve(contentDir, storageKey);
  if (!full.startsWith(path.resolve(contentDir) + path.sep))
    throw new Error('storage key outside the content folder');
  return full;
}

export function safeFileName(name: string): string {
  return (
    path
      .basename(name)
      .replace(/[^\p{L}\p{N}._ -]/gu, '_')
      .slice(0, 120) || 'file'
  );
}
