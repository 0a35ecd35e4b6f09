package dev.isolatepool.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Test helper: the text of a heap snapshot sent as addHeapSnapshotChunk notifications. */
final class HeapSnapshots {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HeapSnapshots() {}

  /** The chunks' text joined in order, so a string split across two chunks is found. */
  static String joinedChunks(List<String> messages) throws java.io.IOException {
    StringBuilder out = new StringBuilder();
    for (String m : messages) {
      if (m.startsWith("{\"method\":\"HeapProfiler.addHeapSnapshotChunk\"")) {
        out.append(JSON.readTree(m).get("params").get("chunk").asText());
      }
    }
    return out.toString();
  }
}
