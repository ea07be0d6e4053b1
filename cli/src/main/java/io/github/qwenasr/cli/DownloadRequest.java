package io.github.qwenasr.cli;

import io.github.qwenasr.hub.ModelCatalog;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated {@code download} command line.
 *
 * @param models    the models to download, in order (empty with {@code --list})
 * @param cacheRoot the {@code --dir} cache root, or null for the default cache
 * @param revision  branch, tag or commit to download
 * @param silent    no progress output
 * @param list      only list the models and their state
 */
record DownloadRequest(List<ModelCatalog> models, Path cacheRoot, String revision, boolean silent, boolean list) {
}
