package io.github.qwenasr.hub;

/**
 * One file of a hub repository as its metadata describes it.
 *
 * @param path      the file's path in the repository
 * @param size      its size in bytes, or -1 when the hub did not say
 * @param sha256    lower-case hex SHA-256 of the content for files stored with Git LFS (the weights),
 *                  else null
 * @param gitBlobId lower-case hex git blob id (SHA-1 of {@code "blob <size>\0"} + content) for files
 *                  stored in git itself, else null
 */
public record RemoteFile(String path, long size, String sha256, String gitBlobId) {
}
