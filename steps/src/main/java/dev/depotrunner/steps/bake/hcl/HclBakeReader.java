package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.Body;
import dev.depotrunner.hcl.EvalContext;
import dev.depotrunner.hcl.Expression;
import dev.depotrunner.hcl.Hcl;
import dev.depotrunner.hcl.HclException;
import dev.depotrunner.hcl.HclFunction;
import dev.depotrunner.hcl.LazyValueException;
import dev.depotrunner.hcl.Position;
import dev.depotrunner.steps.bake.BakeFileException;
import dev.depotrunner.steps.bake.BakeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads HCL and JSON bake files together, as {@code docker buildx bake} does: the files' bodies merge,
 * so variables, functions and blocks of one file are visible in the others, and a later file's
 * definitions override or merge into earlier ones.
 */
public final class HclBakeReader {

  private static final Map<String, Integer> TOP_LEVEL_BLOCKS = Map.of("variable", 1, "function", 1,
      Blocks.TARGET, 1, Blocks.GROUP, 1);

  private HclBakeReader() {}

  /** Reads HCL and JSON bake files together, as buildx does. */
  public static HclBakeFile read(List<BakeSource> files, Map<String, String> environment) throws BakeFileException {
    return read(files, environment, Map.of());
  }

  /**
   * Reads the files with built-in variables such as {@code BAKE_CMD_CONTEXT} and
   * {@code BAKE_LOCAL_PLATFORM}: strings that the files can read but neither declare nor override.
   */
  public static HclBakeFile read(List<BakeSource> files, Map<String, String> environment,
      Map<String, String> builtinVariables) throws BakeFileException {
    try {
      return new HclBakeReader.Reading(environment, builtinVariables).run(files);
    } catch (HclException e) {
      Position at = e.position();
      BakeFileException failure = new BakeFileException(at.file(), at.line(), at.column(), e.detail());
      failure.initCause(e);
      throw failure;
    } catch (LazyValueException e) {
      Position at = e.getCause().position();
      BakeFileException failure = new BakeFileException(at.file(), at.line(), at.column(), e.getCause().detail());
      failure.initCause(e.getCause());
      throw failure;
    }
  }

  /** The state of one read: what the files declare, and the context their expressions evaluate in. */
  private static final class Reading {

    private final Map<String, String> environment;
    private final Map<String, String> builtins;
    private final Map<String, Variables.Declaration> declarations = new LinkedHashMap<>();
    private final Map<String, Body.Attribute> attributes = new LinkedHashMap<>();
    private final Map<String, Body.Block> functionBlocks = new LinkedHashMap<>();
    private final List<Body.Block> blocks = new ArrayList<>();
    private final Set<String> activeFunctions = new HashSet<>();
    private final Blocks targets = new Blocks();
    private EvalContext global;

    Reading(Map<String, String> environment, Map<String, String> builtins) {
      this.environment = environment;
      this.builtins = builtins;
    }

    HclBakeFile run(List<BakeSource> files) throws HclException, BakeFileException {
      for (BakeSource file : files) {
        collect(parse(file));
      }

      Map<String, HclFunction> functions = BakeFunctions.all();
      defineFunctions(functions);
      Variables variables = new Variables(builtins, environment, declarations, attributes);
      global = new EvalContext(new EvalContext.Resolver() {
        @Override
        public boolean defines(String name) {
          return Blocks.isBlockType(name) || variables.defines(name);
        }

        @Override
        public Object resolve(String name, Position reference) throws HclException {
          if (Blocks.isBlockType(name) && !variables.defines(name)) {
            return targets.reference(name);
          }
          return variables.resolve(name, reference);
        }
      }, functions);
      variables.bind(global);

      // Blocks are named first, so top-level attributes and variables can refer to target.NAME.
      for (Body.Block block : blocks) {
        targets.add(block.type(), block, global);
      }
      variables.resolveAll();
      return targets.evaluate();
    }

    /**
     * Parses one file. A name ending in .json is JSON and one ending in .hcl is HCL; any other name is
     * tried as HCL and then as JSON, and reports the HCL error when both fail, as buildx does.
     */
    private static Body parse(BakeSource file) throws HclException, BakeFileException {
      if (file.isJson()) {
        return Hcl.parseJson(file.name(), file.content());
      }
      if (file.name().endsWith(".hcl")) {
        return Hcl.parse(file.name(), file.content());
      }
      try {
        return Hcl.parse(file.name(), file.content());
      } catch (HclException hclError) {
        try {
          return Hcl.parseJson(file.name(), file.content());
        } catch (HclException jsonError) {
          throw hclError;
        }
      }
    }

    /** Records the file's declarations; a later declaration of the same variable or function replaces it. */
    private void collect(Body body) throws HclException {
      Body.Content content = body.content(TOP_LEVEL_BLOCKS);
      for (Body.Attribute attribute : content.attributes()) {
        if (isReserved(attribute.name()) || attribute.name().equals("function")) {
          continue;
        }
        attributes.put(attribute.name(), attribute);
      }
      for (Body.Block block : content.blocks()) {
        switch (block.type()) {
          case "variable" -> {
            Variables.Declaration declaration = declaration(block);
            if (!isReserved(declaration.name())) {
              declarations.remove(declaration.name());
              declarations.put(declaration.name(), declaration);
            }
          }
          case "function" -> {
            if (!isReserved(block.labels().get(0))) {
              functionBlocks.put(block.labels().get(0), block);
            }
          }
          case Blocks.TARGET, Blocks.GROUP -> blocks.add(block);
          default -> {
            // buildx ignores top-level blocks of other types.
          }
        }
      }
    }

    private boolean isReserved(String name) {
      return Blocks.isBlockType(name) || builtins.containsKey(name);
    }

    private static Variables.Declaration declaration(Body.Block block) throws HclException {
      Body.Content content = block.body().content(Map.of("validation", 0));
      Body.Attribute type = null;
      Body.Attribute defaultValue = null;
      for (Body.Attribute attribute : content.attributes()) {
        if (attribute.name().equals("type")) {
          type = attribute;
        } else if (attribute.name().equals("default")) {
          defaultValue = attribute;
        }
      }
      List<Variables.Validation> validations = new ArrayList<>();
      for (Body.Block nested : content.blocks()) {
        if (!nested.type().equals("validation")) {
          continue;
        }
        Expression condition = null;
        Expression errorMessage = null;
        for (Body.Attribute attribute : nested.body().content(Map.of()).attributes()) {
          if (attribute.name().equals("condition")) {
            condition = attribute.expression();
          } else if (attribute.name().equals("error_message")) {
            errorMessage = attribute.expression();
          }
        }
        if (condition == null) {
          throw new HclException(nested.position(), "validation block of variable " + block.labels().get(0)
              + " has no condition; add condition = <a bool expression>");
        }
        validations.add(new Variables.Validation(condition, errorMessage, nested.position()));
      }
      Position at = block.labelPositions().isEmpty() ? block.position() : block.labelPositions().get(0);
      return new Variables.Declaration(block.labels().get(0), type, defaultValue, List.copyOf(validations), at);
    }

    /** Adds the function blocks; a name the built-in functions already have keeps the built-in, as in buildx. */
    private void defineFunctions(Map<String, HclFunction> functions) throws HclException {
      for (Body.Block block : functionBlocks.values()) {
        String name = block.labels().get(0);
        Body.Attribute params = null;
        Body.Attribute variadic = null;
        Body.Attribute result = null;
        for (Body.Attribute attribute : block.body().content(Map.of()).attributes()) {
          switch (attribute.name()) {
            case "params" -> params = attribute;
            case "variadic_params" -> variadic = attribute;
            case "result" -> result = attribute;
            default -> throw new HclException(attribute.position(), "unsupported attribute \"" + attribute.name()
                + "\" in function " + name + "; use params, variadic_params and result");
          }
        }
        if (params == null) {
          throw new HclException(block.position(), "function " + name + " has no params; add params = [] or"
              + " params = [name, ...]");
        }
        if (result == null) {
          throw new HclException(block.position(), "function " + name + " has no result; add result = <expression>");
        }
        List<String> parameters = new ArrayList<>();
        Position paramsPosition = params.position();
        List<Expression> elements = Expression.tupleElements(params.expression()).orElseThrow(() ->
            new HclException(paramsPosition, "params of function " + name + " must be a list of names, such as"
                + " params = [a, b]"));
        for (Expression element : elements) {
          parameters.add(Expression.keyword(element).orElseThrow(() -> new HclException(element.position(),
              "each parameter of function " + name + " must be a plain name")));
        }
        String variadicName = null;
        if (variadic != null) {
          Body.Attribute variadicAttribute = variadic;
          variadicName = Expression.keyword(variadic.expression()).orElseThrow(() -> new HclException(
              variadicAttribute.position(), "variadic_params of function " + name + " must be a plain name"));
        }
        functions.putIfAbsent(name, new UserFunction(name, List.copyOf(parameters), variadicName,
            result.expression(), () -> global, activeFunctions));
      }
    }
  }
}
