/** Why a file could not be opened or read, in words an office reads (the system's code after them). */
export function fileReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      // A name written in Latin-1 (a zip unpacked from Windows: `Mar\xeda.csv`) reaches Node as
      // UTF-8 with U+FFFD for the byte, a name no file has: "does not exist" sent people looking
      // for a file they could see.
      return String((error as NodeJS.ErrnoException).path ?? '').includes('\uFFFD')
        ? 'cannot be opened under this name: it holds a character that is not UTF-8 (shown as \uFFFD), which cannot be passed on to open it; rename the file (or its folder) without accents and run again'
        : 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied to the user running the import (${code})`;
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'EBUSY':
    case 'ETXTBSY':
      return `cannot be read: another program holds it (${code}); close it there and run again`;
    case 'EIO':
      return 'cannot be read: the disk or network share answered with an error (EIO)';
    default:
      return `cannot be read (${code ?? (error as Error).message})`;
  }
}

/** Whether `error` is the system's own (a failed open or read: EIO, EMFILE), not a file's content. */
export function isSystemError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.syscall !== undefined;
}
