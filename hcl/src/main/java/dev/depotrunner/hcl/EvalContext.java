package dev.depotrunner.hcl;

import java.util.HashMap;
import java.util.Map;

/**
 * The variables and functions an expression can refer to. A child context adds variables over its parent's,
 * as {@code for} expressions and function parameters do. Names not found in any map go to the
 * {@link Resolver}, which lets a caller compute values on first use and detect reference cycles.
 */
public final class EvalContext {

  /** Computes variables on demand; a name it does not define is an unknown variable. */
  public interface Resolver {

    boolean defines(String name);

    /** Returns the value of a defined name; {@code reference} is where the expression refers to it. */
    Object resolve(String name, Position reference) throws HclException;
  }

  private final EvalContext parent;
  private final Map<String, Object> variables;
  private final Map<String, HclFunction> functions;
  private final Resolver resolver;

  public EvalContext(Map<String, Object> variables, Map<String, HclFunction> functions) {
    this(null, variables, functions, null);
  }

  public EvalContext(Resolver resolver, Map<String, HclFunction> functions) {
    this(null, Map.of(), functions, resolver);
  }

  private EvalContext(EvalContext parent, Map<String, Object> variables, Map<String, HclFunction> functions,
      Resolver resolver) {
    this.parent = parent;
    this.variables = variables;
    this.functions = functions;
    this.resolver = resolver;
  }

  /** Returns a context with {@code variables} added over this one's. */
  public EvalContext child(Map<String, Object> variables) {
    return new EvalContext(this, new HashMap<>(variables), Map.of(), null);
  }

  /** Evaluates an expression to a value of the model {@link Values} describes. */
  public Object evaluate(Expression expression) throws HclException {
    try {
      return new Evaluator().evaluate(expression, this);
    } catch (LazyValueException e) {
      throw e.getCause();
    }
  }

  boolean hasVariable(String name) {
    for (EvalContext context = this; context != null; context = context.parent) {
      if (context.variables.containsKey(name) || (context.resolver != null && context.resolver.defines(name))) {
        return true;
      }
    }
    return false;
  }

  Object variable(String name, Position reference) throws HclException {
    for (EvalContext context = this; context != null; context = context.parent) {
      if (context.variables.containsKey(name)) {
        return context.variables.get(name);
      }
      if (context.resolver != null && context.resolver.defines(name)) {
        return context.resolver.resolve(name, reference);
      }
    }
    throw new IllegalStateException("variable " + name + " is not defined");
  }

  HclFunction function(String name) {
    for (EvalContext context = this; context != null; context = context.parent) {
      HclFunction function = context.functions.get(name);
      if (function != null) {
        return function;
      }
    }
    return null;
  }
}
