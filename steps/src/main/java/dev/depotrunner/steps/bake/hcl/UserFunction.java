package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.EvalContext;
import dev.depotrunner.hcl.Expression;
import dev.depotrunner.hcl.HclException;
import dev.depotrunner.hcl.HclFunction;
import dev.depotrunner.hcl.ValueException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A {@code function "name" { params = [a, b]  variadic_params = rest  result = ... }} block. The result is
 * evaluated in the global context with the parameters added. A function that calls itself, directly or
 * through others, is a cycle, which buildx rejects too.
 */
final class UserFunction implements HclFunction {

  private final String name;
  private final List<String> parameters;
  private final String variadicParameter;
  private final Expression result;
  private final Supplier<EvalContext> globalContext;
  private final Set<String> active;

  UserFunction(String name, List<String> parameters, String variadicParameter, Expression result,
      Supplier<EvalContext> globalContext, Set<String> active) {
    this.name = name;
    this.parameters = parameters;
    this.variadicParameter = variadicParameter;
    this.result = result;
    this.globalContext = globalContext;
    this.active = active;
  }

  @Override
  public int minimumArguments() {
    return parameters.size();
  }

  @Override
  public int maximumArguments() {
    return variadicParameter == null ? parameters.size() : -1;
  }

  @Override
  public Object call(List<Object> arguments) throws ValueException {
    if (!active.add(name)) {
      throw new ValueException("function cycle: " + name + " calls itself; remove the recursive call");
    }
    try {
      Map<String, Object> bound = new HashMap<>();
      for (int i = 0; i < parameters.size(); i++) {
        bound.put(parameters.get(i), arguments.get(i));
      }
      if (variadicParameter != null) {
        bound.put(variadicParameter, new ArrayList<>(arguments.subList(parameters.size(), arguments.size())));
      }
      return globalContext.get().child(bound).evaluate(result);
    } catch (HclException e) {
      throw new ValueException(e.getMessage());
    } finally {
      active.remove(name);
    }
  }
}
