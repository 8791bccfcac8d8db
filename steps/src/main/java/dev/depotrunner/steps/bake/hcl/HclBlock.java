package dev.depotrunner.steps.bake.hcl;

import java.util.Map;

/**
 * One evaluated group or target. {@code attributes} hold String, Boolean, BigDecimal, List&lt;Object&gt;,
 * Map&lt;String, Object&gt; (insertion-ordered) or null, raw as written after evaluation: {@code inherits}
 * is not resolved here, {@code matrix} is expanded and neither it nor {@code name} appears. An attribute
 * not written is absent; one written as null is present with a null value. {@code file}, {@code line}
 * and {@code column} locate the block's first definition.
 */
public record HclBlock(String name, Map<String, Object> attributes, String file, int line, int column) {}
