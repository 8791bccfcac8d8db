/**
 * An HCL2 parser and expression evaluator, with line and column in every error.
 *
 * <p>{@link dev.depotrunner.hcl.Hcl} parses native or JSON syntax into a {@link dev.depotrunner.hcl.Body};
 * the caller splits it into attributes and blocks and evaluates attribute expressions in an
 * {@link dev.depotrunner.hcl.EvalContext} of variables and functions, such as
 * {@link dev.depotrunner.hcl.StandardFunctions#all()}:
 *
 * <pre>{@code
 * Body body = Hcl.parse("app.hcl", text);
 * EvalContext context = new EvalContext(Map.of("tag", "v1"), StandardFunctions.all());
 * for (Body.Attribute attribute : body.content(Map.of()).attributes()) {
 *   Object value = context.evaluate(attribute.expression());
 * }
 * }</pre>
 *
 * <p>Values are plain Java objects: null, Boolean, BigDecimal, String, List and Map (see
 * {@link dev.depotrunner.hcl.Values}). There are no unknown values, so nothing here supports planning.
 */
package dev.depotrunner.hcl;
