/**
 * Why the operating system refused a file or folder operation, in words for
 * a one-line error that names the path itself: "it exists and is not a
 * folder", "a part of its path is a file, not a folder", "the file system is
 * read-only"... Undefined for anything that is not a file-system error (a
 * bug of ours, to be reported as one).
 *
 * @example
 * ```ts
 * import { fileSystemReason } from "./os_error.ts";
 * try {
 *   await Deno.mkdir("/etc/passwd/x", { recursive: true });
 * } catch (e) {
 *   fileSystemReason(e); // "it, or a folder on its path, is a file"
 * }
 * ```
 */
export function fileSystemReason(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: string }).code;
  switch (code) {
    case "EEXIST":
      return "it exists and is not a folder";
    case "ENOTDIR":
      return "it, or a folder on its path, is a file";
    case "ENOENT":
      return "a folder on its path does not exist and cannot be made there";
    case "EACCES":
      return "permission denied";
    case "EPERM":
      return "the operation is not permitted there";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "the disk is full";
    case "EDQUOT":
      return "the disk quota is exceeded";
    case "ENAMETOOLONG":
      return "the path is too long";
    case "ELOOP":
      return "its path has a loop of symbolic links";
    case "EISDIR":
      return "it is a folder";
  }
  return undefined;
}
