package dev.depotrunner.steps.bake.hcl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges a later definition of a target into an earlier one, attribute by attribute, following buildx's
 * {@code Target.Merge}: a null or absent later value keeps the earlier one, maps merge by key, list
 * attributes that buildx accumulates are appended, and every other attribute is replaced.
 */
final class TargetMerge {

  /** Maps whose entries merge by key; a null entry in the later map is skipped for args, labels, extra-hosts. */
  private static final Set<String> MAPS = Set.of("args", "labels", "contexts", "extra-hosts");

  /** Lists that buildx appends instead of replacing. */
  private static final Set<String> APPENDED = Set.of("annotations", "attest", "policy", "secret", "ssh",
      "cache-from", "no-cache-filter", "ulimits", "entitlements", "inherits");

  private TargetMerge() {}

  // NOTE: buildx also removes duplicate attest, secret, ssh and cache-from entries by their parsed keys when it
  // merges. Here the entries are only appended, so the target model has to deduplicate them.
  static void merge(Map<String, Object> into, Map<String, Object> later) {
    for (Map.Entry<String, Object> entry : later.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (key.equals("inherits")) {
        appendList(into, key, value);
        continue;
      }
      if (value == null) {
        continue;
      }
      if (key.equals("description") && value.equals("")) {
        continue;
      }
      if (MAPS.contains(key) && value instanceof Map<?, ?> laterMap && into.get(key) instanceof Map<?, ?> earlier) {
        Map<String, Object> merged = new LinkedHashMap<>();
        earlier.forEach((k, v) -> merged.put((String) k, v));
        laterMap.forEach((k, v) -> {
          if (v != null || key.equals("contexts")) {
            merged.put((String) k, v);
          }
        });
        into.put(key, merged);
      } else if (key.equals("resources") && value instanceof Map<?, ?> laterMap
          && into.get(key) instanceof Map<?, ?> earlier) {
        Map<String, Object> merged = new LinkedHashMap<>();
        earlier.forEach((k, v) -> merged.put((String) k, v));
        laterMap.forEach((k, v) -> {
          if (v != null) {
            merged.put((String) k, v);
          }
        });
        into.put(key, merged);
      } else if (APPENDED.contains(key)) {
        appendList(into, key, value);
      } else {
        into.put(key, value);
      }
    }
  }

  private static void appendList(Map<String, Object> into, String key, Object value) {
    Object earlier = into.get(key);
    if (value == null) {
      return;
    }
    if (earlier instanceof List<?> earlierList && value instanceof List<?> laterList) {
      List<Object> merged = new ArrayList<>(earlierList);
      merged.addAll(laterList);
      into.put(key, merged);
    } else {
      into.put(key, value);
    }
  }
}
