package io.github.qwenasr.hub;

import java.util.List;

/**
 * A repository's files at one revision, as the hub's model-info API lists them.
 *
 * @param repoId   e.g. "Qwen/Qwen3-ASR-0.6B"
 * @param revision the revision asked for
 * @param commit   the commit the revision resolved to (downloads use it, so every file comes from the
 *                 same commit even if the branch moves meanwhile), or null when the hub did not say
 * @param files    every file of the repository
 */
public record RepoSnapshot(String repoId, String revision, String commit, List<RemoteFile> files) {
    /** The revision to download files from: the commit when known, else the revision asked for. */
    public String pinnedRevision() {
        return commit != null ? commit : revision;
    }
}
