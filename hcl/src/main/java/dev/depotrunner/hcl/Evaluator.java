package dev.depotrunner.hcl;

import dev.depotrunner.hcl.Expression.Binary;
import dev.depotrunner.hcl.Expression.Call;
import dev.depotrunner.hcl.Expression.Conditional;
import dev.depotrunner.hcl.Expression.For;
import dev.depotrunner.hcl.Expression.GetAttr;
import dev.depotrunner.hcl.Expression.Index;
import dev.depotrunner.hcl.Expression.Literal;
import dev.depotrunner.hcl.Expression.ObjectCons;
import dev.depotrunner.hcl.Expression.Splat;
import dev.depotrunner.hcl.Expression.SplatItem;
import dev.depotrunner.hcl.Expression.Template;
import dev.depotrunner.hcl.Expression.TemplatePart;
import dev.depotrunner.hcl.Expression.TupleCons;
import dev.depotrunner.hcl.Expression.Unary;
import dev.depotrunner.hcl.Expression.Variable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Evaluates expression trees; one instance per top-level evaluation, since it tracks splat items. */
final class Evaluator {

  /**
   * Division precision: 34 decimal digits (IEEE decimal128). cty divides binary floats of 512 bits, so
   * quotients that end within 34 digits print alike.
   *
   * <p>NOTE: a quotient that does not terminate differs: cty prints 1/3 with about 155 digits, this 34.
   */
  private static final MathContext DIVISION = MathContext.DECIMAL128;

  private final Deque<Object> splatItems = new ArrayDeque<>();

  Object evaluate(Expression expression, EvalContext context) throws HclException {
    if (expression instanceof Literal literal) {
      return literal.value();
    }
    if (expression instanceof Variable variable) {
      return variable(variable, context);
    }
    if (expression instanceof Template template) {
      return template(template, context);
    }
    if (expression instanceof GetAttr getAttr) {
      return getAttr(getAttr, evaluate(getAttr.source(), context));
    }
    if (expression instanceof Index index) {
      return index(index, evaluate(index.source(), context), evaluate(index.key(), context));
    }
    if (expression instanceof Splat splat) {
      return splat(splat, context);
    }
    if (expression instanceof SplatItem) {
      Object item = splatItems.peek();
      return item == NullItem.NULL ? null : item;
    }
    if (expression instanceof Call call) {
      return call(call, context);
    }
    if (expression instanceof Conditional conditional) {
      return conditional(conditional, context);
    }
    if (expression instanceof Binary binary) {
      return binary(binary, context);
    }
    if (expression instanceof Unary unary) {
      return unary(unary, context);
    }
    if (expression instanceof TupleCons tuple) {
      List<Object> values = new ArrayList<>();
      for (Expression element : tuple.elements()) {
        values.add(evaluate(element, context));
      }
      return values;
    }
    if (expression instanceof ObjectCons object) {
      return object(object, context);
    }
    return forExpression((For) expression, context);
  }

  private Object variable(Variable variable, EvalContext context) throws HclException {
    if (!context.hasVariable(variable.name())) {
      throw new HclException(variable.position(), "unknown variable \"" + variable.name()
          + "\": no variable of that name is defined; check the spelling or define it");
    }
    return context.variable(variable.name(), variable.position());
  }

  private Object getAttr(GetAttr getAttr, Object source) throws HclException {
    if (source instanceof Map<?, ?> map) {
      if (!map.containsKey(getAttr.name())) {
        throw new HclException(getAttr.position(), "unsupported attribute \"" + getAttr.name()
            + "\": the object has no attribute of that name" + availableKeys(map));
      }
      return map.get(getAttr.name());
    }
    if (source == null) {
      throw new HclException(getAttr.position(), "cannot read attribute \"" + getAttr.name()
          + "\" of a null value");
    }
    throw new HclException(getAttr.position(), "cannot read attribute \"" + getAttr.name() + "\" of a "
        + Values.typeName(source) + (source instanceof List ? "; use [index] to read an element" : ""));
  }

  private static String availableKeys(Map<?, ?> map) {
    if (map.isEmpty() || map.size() > 20) {
      return "";
    }
    return " (it has " + String.join(", ", new java.util.TreeSet<>(map.keySet()).stream().map(String::valueOf).toList())
        + ")";
  }

  private Object index(Index index, Object source, Object key) throws HclException {
    if (source instanceof List<?> list) {
      int position;
      try {
        position = Values.toInt(key);
      } catch (ValueException e) {
        throw new HclException(index.key().position(), "invalid index: " + e.getMessage());
      }
      if (position < 0 || position >= list.size()) {
        throw new HclException(index.key().position(), "index " + position + " is out of range for a tuple of "
            + list.size() + (list.size() == 1 ? " element" : " elements"));
      }
      return list.get(position);
    }
    if (source instanceof Map<?, ?> map) {
      String name;
      try {
        name = Values.toStringValue(key);
      } catch (ValueException e) {
        throw new HclException(index.key().position(), "invalid key: " + e.getMessage());
      }
      if (!map.containsKey(name)) {
        throw new HclException(index.key().position(), "the object has no key \"" + name + "\"" + availableKeys(map)
            + "; use lookup(map, key, default) for an optional key");
      }
      return map.get(name);
    }
    if (source == null) {
      throw new HclException(index.position(), "cannot index a null value");
    }
    throw new HclException(index.position(), "cannot index a " + Values.typeName(source)
        + "; only tuples, lists, objects and maps have elements");
  }

  private Object splat(Splat splat, EvalContext context) throws HclException {
    Object source = evaluate(splat.source(), context);
    List<?> items;
    if (source == null) {
      items = List.of();
    } else if (source instanceof List<?> list) {
      items = list;
    } else {
      items = List.of(source);
    }
    List<Object> results = new ArrayList<>();
    for (Object item : items) {
      splatItems.push(item == null ? NullItem.NULL : item);
      try {
        results.add(evaluate(splat.each(), context));
      } finally {
        splatItems.pop();
      }
    }
    return results;
  }

  /** Stands for a null element on the splat stack, which cannot hold null. */
  private enum NullItem { NULL }

  private Object call(Call call, EvalContext context) throws HclException {
    HclFunction function = context.function(call.name());
    if (function == null) {
      throw new HclException(call.position(), "unknown function \"" + call.name()
          + "\"; check the spelling or define it");
    }

    if (function instanceof HclFunction.Lazy lazy) {
      List<HclFunction.Lazy.Argument> arguments = new ArrayList<>();
      for (Expression argument : call.arguments()) {
        arguments.add(new HclFunction.Lazy.Argument() {
          @Override
          public Object evaluate() throws HclException {
            try {
              return new Evaluator().evaluate(argument, context);
            } catch (LazyValueException e) {
              throw e.getCause();
            }
          }

          @Override
          public Expression expression() {
            return argument;
          }
        });
      }
      checkArity(call, function, arguments.size());
      try {
        return lazy.callLazy(arguments);
      } catch (ValueException e) {
        throw callFailed(call, e);
      }
    }

    List<Object> arguments = new ArrayList<>();
    for (Expression argument : call.arguments()) {
      arguments.add(evaluate(argument, context));
    }
    if (call.expandFinal()) {
      Object last = arguments.remove(arguments.size() - 1);
      if (!(last instanceof List<?> list)) {
        Expression lastExpression = call.arguments().get(call.arguments().size() - 1);
        throw new HclException(lastExpression.position(), "the argument expanded with '...' must be a tuple or list,"
            + " not a " + Values.typeName(last));
      }
      arguments.addAll(list);
    }
    checkArity(call, function, arguments.size());
    try {
      return function.call(arguments);
    } catch (ValueException e) {
      throw callFailed(call, e);
    } catch (RuntimeException e) {
      if (e instanceof LazyValueException) {
        throw e;
      }
      throw new HclException(call.position(), call.name() + "() failed: " + e, e);
    }
  }

  private static void checkArity(Call call, HclFunction function, int count) throws HclException {
    int minimum = function.minimumArguments();
    int maximum = function.maximumArguments();
    if (count >= minimum && (maximum < 0 || count <= maximum)) {
      return;
    }
    String expected;
    if (maximum < 0) {
      expected = "at least " + minimum;
    } else if (minimum == maximum) {
      expected = String.valueOf(minimum);
    } else {
      expected = minimum + " to " + maximum;
    }
    throw new HclException(call.position(), call.name() + "() takes " + expected
        + (expected.equals("1") ? " argument" : " arguments") + ", but " + count + (count == 1 ? " was" : " were")
        + " given");
  }

  private static HclException callFailed(Call call, ValueException e) {
    int argument = e.argument();
    if (argument >= 0 && argument < call.arguments().size()) {
      return new HclException(call.arguments().get(argument).position(), "invalid argument " + (argument + 1)
          + " to " + call.name() + "(): " + e.getMessage(), e);
    }
    return new HclException(call.position(), call.name() + "() failed: " + e.getMessage(), e);
  }

  private Object conditional(Conditional conditional, EvalContext context) throws HclException {
    Object condition = evaluate(conditional.condition(), context);
    boolean chosen = toBool(condition, conditional.condition(), "the condition");
    Expression selected = chosen ? conditional.then() : conditional.otherwise();
    Expression other = chosen ? conditional.otherwise() : conditional.then();
    Object result = evaluate(selected, context);
    if (result instanceof BigDecimal || result instanceof Boolean) {
      // cty unifies the types of both results: a number or bool meeting a string becomes a string.
      // NOTE: cty also unifies collections (true ? [1] : ["a"] gives ["1"]); results here keep their elements.
      Object otherResult;
      try {
        otherResult = new Evaluator().evaluate(other, context);
      } catch (HclException | LazyValueException e) {
        otherResult = null;
      }
      if (otherResult instanceof String) {
        return toStringValue(result, selected);
      }
    }
    return result;
  }

  private Object binary(Binary binary, EvalContext context) throws HclException {
    Expression.Operator operator = binary.operator();
    Object left = evaluate(binary.left(), context);
    switch (operator) {
      case OR, AND: {
        boolean leftValue = toBool(left, binary.left(), "the left operand of " + operator.symbol);
        if (operator == Expression.Operator.OR && leftValue) {
          return true;
        }
        if (operator == Expression.Operator.AND && !leftValue) {
          return false;
        }
        Object right = evaluate(binary.right(), context);
        return toBool(right, binary.right(), "the right operand of " + operator.symbol);
      }
      case EQUAL:
        return Values.equal(left, evaluate(binary.right(), context));
      case NOT_EQUAL:
        return !Values.equal(left, evaluate(binary.right(), context));
      default:
        break;
    }

    Object right = evaluate(binary.right(), context);
    BigDecimal a = toNumber(left, binary.left(), "the left operand of " + operator.symbol);
    BigDecimal b = toNumber(right, binary.right(), "the right operand of " + operator.symbol);
    return switch (operator) {
      case GREATER -> a.compareTo(b) > 0;
      case GREATER_OR_EQUAL -> a.compareTo(b) >= 0;
      case LESS -> a.compareTo(b) < 0;
      case LESS_OR_EQUAL -> a.compareTo(b) <= 0;
      case ADD -> Values.normalize(a.add(b));
      case SUBTRACT -> Values.normalize(a.subtract(b));
      case MULTIPLY -> Values.normalize(a.multiply(b));
      case DIVIDE -> {
        if (b.signum() == 0) {
          throw new HclException(binary.right().position(), "division by zero; check the divisor");
        }
        yield Values.normalize(a.divide(b, DIVISION));
      }
      case MODULO -> {
        if (b.signum() == 0) {
          throw new HclException(binary.right().position(), "modulo by zero; check the divisor");
        }
        yield Values.normalize(a.remainder(b));
      }
      default -> throw new IllegalStateException("not a binary operator: " + operator);
    };
  }

  private Object unary(Unary unary, EvalContext context) throws HclException {
    Object operand = evaluate(unary.operand(), context);
    if (unary.operator() == Expression.Operator.NOT) {
      return !toBool(operand, unary.operand(), "the operand of !");
    }
    return Values.normalize(toNumber(operand, unary.operand(), "the operand of -").negate());
  }

  private Object object(ObjectCons object, EvalContext context) throws HclException {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < object.keys().size(); i++) {
      Expression keyExpression = object.keys().get(i);
      Object key = evaluate(keyExpression, context);
      if (key == null) {
        throw new HclException(keyExpression.position(), "an object key cannot be null");
      }
      String name = toStringValue(key, keyExpression);
      values.put(name, evaluate(object.values().get(i), context));
    }
    return values;
  }

  private Object forExpression(For forExpression, EvalContext context) throws HclException {
    Object collection = evaluate(forExpression.collection(), context);
    List<Map.Entry<Object, Object>> elements = iterate(collection, forExpression.collection());

    List<Object> tupleResult = new ArrayList<>();
    Map<String, Object> objectResult = new LinkedHashMap<>();
    for (Map.Entry<Object, Object> element : elements) {
      Map<String, Object> iteration = new HashMap<>();
      if (forExpression.keyVariable() != null) {
        iteration.put(forExpression.keyVariable(), element.getKey());
      }
      iteration.put(forExpression.valueVariable(), element.getValue());
      EvalContext inner = context.child(iteration);

      if (forExpression.condition() != null) {
        Object include = evaluate(forExpression.condition(), inner);
        if (!toBool(include, forExpression.condition(), "the if condition of the for expression")) {
          continue;
        }
      }

      if (forExpression.keyResult() == null) {
        tupleResult.add(evaluate(forExpression.valueResult(), inner));
        continue;
      }

      Object keyValue = evaluate(forExpression.keyResult(), inner);
      if (keyValue == null) {
        throw new HclException(forExpression.keyResult().position(), "the key of an object for expression"
            + " cannot be null");
      }
      String key = toStringValue(keyValue, forExpression.keyResult());
      Object value = evaluate(forExpression.valueResult(), inner);
      if (forExpression.grouping()) {
        @SuppressWarnings("unchecked")
        List<Object> group = (List<Object>) objectResult.computeIfAbsent(key, k -> new ArrayList<>());
        group.add(value);
      } else if (objectResult.containsKey(key)) {
        throw new HclException(forExpression.keyResult().position(), "duplicate key \"" + key
            + "\" in the object for expression; make the keys unique, or add ... after the value to group them");
      } else {
        objectResult.put(key, value);
      }
    }
    return forExpression.keyResult() == null ? tupleResult : objectResult;
  }

  /** Returns the key and value of each element: the index for tuples, the key for objects in key order. */
  private static List<Map.Entry<Object, Object>> iterate(Object collection, Expression expression)
      throws HclException {
    List<Map.Entry<Object, Object>> elements = new ArrayList<>();
    if (collection instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        elements.add(new java.util.AbstractMap.SimpleEntry<>(BigDecimal.valueOf(i), list.get(i)));
      }
      return elements;
    }
    if (collection instanceof Map<?, ?> map) {
      // cty iterates object attributes and map keys in lexical order, whatever the order written.
      for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
        elements.add(new java.util.AbstractMap.SimpleEntry<>(entry.getKey(), entry.getValue()));
      }
      return elements;
    }
    if (collection == null) {
      throw new HclException(expression.position(), "cannot iterate over a null value; use a tuple or object, or"
          + " coalesce(value, [])");
    }
    throw new HclException(expression.position(), "cannot iterate over a " + Values.typeName(collection)
        + "; use a tuple, list, object or map");
  }

  private Object template(Template template, EvalContext context) throws HclException {
    List<TemplatePart> parts = template.parts();
    if (parts.size() == 1 && parts.get(0) instanceof TemplatePart.Interpolation only) {
      return evaluate(only.expression(), context);
    }
    StringBuilder out = new StringBuilder();
    render(parts, context, out);
    return out.toString();
  }

  private void render(List<TemplatePart> parts, EvalContext context, StringBuilder out) throws HclException {
    for (TemplatePart part : parts) {
      if (part instanceof TemplatePart.Text text) {
        out.append(text.text());
      } else if (part instanceof TemplatePart.Interpolation interpolation) {
        Object value = evaluate(interpolation.expression(), context);
        if (value == null) {
          throw new HclException(interpolation.expression().position(), "the interpolated value is null; give it a"
              + " value, or use coalesce(value, \"\") for a default");
        }
        if (value instanceof List || value instanceof Map) {
          throw new HclException(interpolation.expression().position(), "cannot put a " + Values.typeName(value)
              + " in a string template; use join(\",\", value) or jsonencode(value)");
        }
        out.append(toStringValue(value, interpolation.expression()));
      } else if (part instanceof TemplatePart.If ifPart) {
        Object condition = evaluate(ifPart.condition(), context);
        boolean chosen = toBool(condition, ifPart.condition(), "the %{if} condition");
        render(chosen ? ifPart.then() : ifPart.otherwise(), context, out);
      } else {
        TemplatePart.For forPart = (TemplatePart.For) part;
        Object collection = evaluate(forPart.collection(), context);
        for (Map.Entry<Object, Object> element : iterate(collection, forPart.collection())) {
          Map<String, Object> iteration = new HashMap<>();
          if (forPart.keyVariable() != null) {
            iteration.put(forPart.keyVariable(), element.getKey());
          }
          iteration.put(forPart.valueVariable(), element.getValue());
          render(forPart.body(), context.child(iteration), out);
        }
      }
    }
  }

  private static boolean toBool(Object value, Expression expression, String role) throws HclException {
    try {
      return Values.toBool(value);
    } catch (ValueException e) {
      throw new HclException(expression.position(), role + " must be true or false: " + e.getMessage());
    }
  }

  private static BigDecimal toNumber(Object value, Expression expression, String role) throws HclException {
    try {
      return Values.toNumber(value);
    } catch (ValueException e) {
      throw new HclException(expression.position(), "invalid " + role + ": " + e.getMessage());
    }
  }

  private static String toStringValue(Object value, Expression expression) throws HclException {
    try {
      return Values.toStringValue(value);
    } catch (ValueException e) {
      throw new HclException(expression.position(), e.getMessage());
    }
  }
}
