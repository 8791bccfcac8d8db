package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.Body;
import dev.depotrunner.hcl.EvalContext;
import dev.depotrunner.hcl.Expression;
import dev.depotrunner.hcl.HclException;
import dev.depotrunner.hcl.Position;
import dev.depotrunner.hcl.Type;
import dev.depotrunner.hcl.ValueException;
import dev.depotrunner.hcl.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The global names of bake files: built-in variables, {@code variable} blocks with their environment
 * overrides, and top-level attributes. Each is computed on first reference, so variables may refer to each
 * other in any order. A reference back to a variable still being computed is a cycle.
 */
final class Variables {

  /** A {@code variable "name" { type, default, validation {...} }} block. */
  record Declaration(String name, Body.Attribute type, Body.Attribute defaultValue, List<Validation> validations,
      Position position) {}

  /** A {@code validation { condition, error_message }} block. */
  record Validation(Expression condition, Expression errorMessage, Position position) {}

  private static final String JSON_SUFFIX = "_JSON";

  private final Map<String, String> builtins;
  private final Map<String, String> environment;
  private final Map<String, Declaration> declarations;
  private final Map<String, Body.Attribute> attributes;
  private final Map<String, Object> values = new HashMap<>();
  private final Set<String> inProgress = new LinkedHashSet<>();
  private EvalContext context;

  Variables(Map<String, String> builtins, Map<String, String> environment, Map<String, Declaration> declarations,
      Map<String, Body.Attribute> attributes) {
    this.builtins = builtins;
    this.environment = environment;
    this.declarations = declarations;
    this.attributes = attributes;
  }

  /** Sets the global context that defaults are evaluated in; it resolves names through this object. */
  void bind(EvalContext context) {
    this.context = context;
  }

  boolean defines(String name) {
    return builtins.containsKey(name) || attributes.containsKey(name) || declarations.containsKey(name);
  }

  Object resolve(String name, Position reference) throws HclException {
    if (values.containsKey(name)) {
      return values.get(name);
    }
    if (inProgress.contains(name)) {
      List<String> chain = new ArrayList<>(inProgress);
      chain = chain.subList(chain.indexOf(name), chain.size());
      throw new HclException(reference, "variable cycle: " + String.join(" -> ", chain) + " -> " + name
          + "; make one of these variables stop referring to the next");
    }
    inProgress.add(name);
    try {
      Object value = compute(name);
      values.put(name, value);
      return value;
    } finally {
      inProgress.remove(name);
    }
  }

  /** Computes every declared variable and top-level attribute, then checks the validation blocks. */
  void resolveAll() throws HclException {
    for (String name : builtins.keySet()) {
      resolve(name, null);
    }
    for (Declaration declaration : declarations.values()) {
      resolve(declaration.name(), declaration.position());
    }
    for (Body.Attribute attribute : attributes.values()) {
      resolve(attribute.name(), attribute.position());
    }
    for (Declaration declaration : declarations.values()) {
      validate(declaration);
    }
  }

  private Object compute(String name) throws HclException {
    if (builtins.containsKey(name)) {
      return builtins.get(name);
    }
    Body.Attribute attribute = attributes.get(name);
    if (attribute != null) {
      return context.evaluate(attribute.expression());
    }

    Declaration declaration = declarations.get(name);
    Type type = declaration.type() == null ? null : Type.parse(declaration.type().expression());
    Body.Attribute defaultAttribute = declaration.defaultValue();
    Override override = override(name, type != null);

    if (defaultAttribute == null && override == null) {
      // buildx: an untyped variable without a value is the empty string, a typed one is null.
      return type == null ? "" : null;
    }

    Object value = null;
    if (defaultAttribute != null) {
      value = context.evaluate(defaultAttribute.expression());
      if (type != null) {
        try {
          value = type.convert(value);
        } catch (ValueException e) {
          throw new HclException(defaultAttribute.position(), "invalid type " + type.name() + " for the default of"
              + " variable " + name + ": " + e.getMessage() + "; change the default or the type");
        }
      }
    }
    if (override == null) {
      return value;
    }
    try {
      return EnvironmentOverride.convert(name, override.text(), override.json(), type, defaultAttribute != null,
          value);
    } catch (ValueException e) {
      throw new HclException(declaration.position(), e.getMessage() + " (from the environment variable "
          + (override.json() ? name + JSON_SUFFIX : name) + ")");
    }
  }

  private record Override(String text, boolean json) {}

  /**
   * Finds the environment override: {@code NAME}, or {@code NAME_JSON} when NAME is unset or the variable
   * is typed (then JSON wins), unless {@code NAME_JSON} is itself a variable or built-in.
   */
  private Override override(String name, boolean typed) {
    String text = environment.get(name);
    Override found = text == null ? null : new Override(text, false);
    if (text == null || typed) {
      String jsonName = name + JSON_SUFFIX;
      if (!declarations.containsKey(jsonName) && !builtins.containsKey(jsonName) && environment.containsKey(jsonName)) {
        found = new Override(environment.get(jsonName), true);
      }
    }
    return found;
  }

  private void validate(Declaration declaration) throws HclException {
    for (Validation validation : declaration.validations()) {
      Object result = context.evaluate(validation.condition());
      if (result == null) {
        throw new HclException(validation.condition().position(), "the validation condition of variable "
            + declaration.name() + " is null; it must be true or false");
      }
      boolean passed;
      try {
        passed = Values.toBool(result);
      } catch (ValueException e) {
        throw new HclException(validation.condition().position(), "invalid validation condition of variable "
            + declaration.name() + ": " + e.getMessage());
      }
      if (passed) {
        continue;
      }
      String message = "this check failed, but has no error_message";
      if (validation.errorMessage() != null) {
        Object text = context.evaluate(validation.errorMessage());
        if (text != null) {
          try {
            message = Values.toStringValue(text);
          } catch (ValueException e) {
            throw new HclException(validation.errorMessage().position(), "invalid error_message: " + e.getMessage());
          }
        }
      }
      throw new HclException(validation.condition().position(), "validation failed for variable "
          + declaration.name() + " (value " + Values.describe(values.get(declaration.name())) + "): " + message);
    }
  }

  /** Returns all computed values by name, in declaration order, for callers that list variables. */
  Map<String, Object> values() {
    return new LinkedHashMap<>(values);
  }
}
