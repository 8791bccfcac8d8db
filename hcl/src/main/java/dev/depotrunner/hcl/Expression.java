package dev.depotrunner.hcl;

import java.util.List;
import java.util.Optional;

/**
 * A parsed HCL expression; evaluate it with {@link EvalContext#evaluate}. The node types are internal,
 * so callers inspect an expression only through the static helpers here.
 */
public sealed interface Expression {

  /** Where the expression starts. */
  Position position();

  /**
   * Returns the bare identifier an expression consists of ({@code foo}), or a JSON string holding one,
   * as HCL reads names such as function parameters; empty for anything else.
   */
  static Optional<String> keyword(Expression expression) {
    if (expression instanceof Variable variable) {
      return Optional.of(variable.name());
    }
    if (expression instanceof Template template && template.parts().size() == 1
        && template.parts().get(0) instanceof TemplatePart.Text text && text.text().matches("[A-Za-z_][A-Za-z0-9_-]*")) {
      return Optional.of(text.text());
    }
    return Optional.empty();
  }

  /** Returns the elements of a tuple constructor ({@code [a, b]}), or empty when it is none. */
  static Optional<List<Expression>> tupleElements(Expression expression) {
    if (expression instanceof TupleCons tuple) {
      return Optional.of(tuple.elements());
    }
    return Optional.empty();
  }

  /** A number, bool, null or string constant. */
  record Literal(Object value, Position position) implements Expression {}

  /** A reference to a variable by its root name. */
  record Variable(String name, Position position) implements Expression {}

  /** {@code source.name}. */
  record GetAttr(Expression source, String name, Position position) implements Expression {}

  /** {@code source[key]}, and the legacy {@code source.0}. */
  record Index(Expression source, Expression key, Position position) implements Expression {}

  /**
   * {@code source[*].each} or {@code source.*.each}: {@code each} is evaluated once per element, with the
   * element as the {@link SplatItem}.
   */
  record Splat(Expression source, Expression each, Position position) implements Expression {}

  /** The element a {@link Splat} is applying its traversal to. */
  record SplatItem(Position position) implements Expression {}

  /** {@code name(args)}; {@code expandFinal} is set for {@code name(a, list...)}. */
  record Call(String name, List<Expression> arguments, boolean expandFinal, Position position) implements Expression {}

  /** {@code condition ? then : otherwise}. */
  record Conditional(Expression condition, Expression then, Expression otherwise, Position position)
      implements Expression {}

  /** A binary operator applied to two operands. */
  record Binary(Operator operator, Expression left, Expression right, Position position) implements Expression {}

  /** {@code !operand} or {@code -operand}. */
  record Unary(Operator operator, Expression operand, Position position) implements Expression {}

  /** {@code [a, b, c]}. */
  record TupleCons(List<Expression> elements, Position position) implements Expression {}

  /** {@code { key = value, ... }}; a bare identifier key is already a string {@link Literal}. */
  record ObjectCons(List<Expression> keys, List<Expression> values, Position position) implements Expression {}

  /**
   * A {@code for} expression: {@code [for k, v in coll : value if cond]} when {@code keyResult} is null,
   * otherwise {@code {for k, v in coll : keyResult => value... if cond}}.
   */
  record For(String keyVariable, String valueVariable, Expression collection, Expression keyResult,
      Expression valueResult, Expression condition, boolean grouping, Position position) implements Expression {}

  /** A string template: literal text, interpolations and directives. */
  record Template(List<TemplatePart> parts, Position position) implements Expression {}

  /** One piece of a template. */
  sealed interface TemplatePart {

    /** Literal text, escapes already decoded. */
    record Text(String text) implements TemplatePart {}

    /** {@code ${expression}}. */
    record Interpolation(Expression expression) implements TemplatePart {}

    /** {@code %{if cond}then%{else}otherwise%{endif}}. */
    record If(Expression condition, List<TemplatePart> then, List<TemplatePart> otherwise, Position position)
        implements TemplatePart {}

    /** {@code %{for k, v in coll}body%{endfor}}. */
    record For(String keyVariable, String valueVariable, Expression collection, List<TemplatePart> body,
        Position position) implements TemplatePart {}
  }

  /** The HCL operators, with their precedence: higher binds tighter. */
  enum Operator {
    OR("||", 1), AND("&&", 2),
    EQUAL("==", 3), NOT_EQUAL("!=", 3),
    GREATER(">", 4), GREATER_OR_EQUAL(">=", 4), LESS("<", 4), LESS_OR_EQUAL("<=", 4),
    ADD("+", 5), SUBTRACT("-", 5),
    MULTIPLY("*", 6), DIVIDE("/", 6), MODULO("%", 6),
    NOT("!", 7), NEGATE("-", 7);

    final String symbol;
    final int precedence;

    Operator(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }
  }
}
