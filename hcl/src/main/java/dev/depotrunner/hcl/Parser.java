package dev.depotrunner.hcl;

import dev.depotrunner.hcl.Body.Attribute;
import dev.depotrunner.hcl.Body.Block;
import dev.depotrunner.hcl.Expression.Binary;
import dev.depotrunner.hcl.Expression.Call;
import dev.depotrunner.hcl.Expression.Conditional;
import dev.depotrunner.hcl.Expression.For;
import dev.depotrunner.hcl.Expression.GetAttr;
import dev.depotrunner.hcl.Expression.Index;
import dev.depotrunner.hcl.Expression.Literal;
import dev.depotrunner.hcl.Expression.ObjectCons;
import dev.depotrunner.hcl.Expression.Operator;
import dev.depotrunner.hcl.Expression.Splat;
import dev.depotrunner.hcl.Expression.SplatItem;
import dev.depotrunner.hcl.Expression.Template;
import dev.depotrunner.hcl.Expression.TemplatePart;
import dev.depotrunner.hcl.Expression.TupleCons;
import dev.depotrunner.hcl.Expression.Unary;
import dev.depotrunner.hcl.Expression.Variable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for HCL native syntax that reads characters directly, because templates
 * and expressions nest inside each other and a separate token stream would need the same modes.
 * Newlines end attributes and object elements, but are plain whitespace inside parentheses, brackets
 * and {@code for} expressions; {@link #newlinesIgnored} counts how deep the parser is in those.
 */
final class Parser {

  private final String file;
  private final String source;
  private final int[] lineStarts;
  private final int baseLine;
  private final int baseColumn;
  private int offset;
  private int newlinesIgnored;

  Parser(String file, String source) {
    this(file, source, 1, 1);
  }

  /** A parser whose first character sits at {@code baseLine:baseColumn} of {@code file}. */
  Parser(String file, String source, int baseLine, int baseColumn) {
    this.file = file;
    this.source = source;
    this.baseLine = baseLine;
    this.baseColumn = baseColumn;
    List<Integer> starts = new ArrayList<>();
    starts.add(0);
    for (int i = 0; i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        starts.add(i + 1);
      }
    }
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  // ---- bodies

  NativeBody parseFile() throws HclException {
    if (source.startsWith("\uFEFF")) {
      offset = 1;
    }
    NativeBody body = parseBody(position(offset), -1);
    return body;
  }

  /** Parses items up to the closing brace of a block opened at {@code openBrace}, or to the end of input. */
  private NativeBody parseBody(Position start, int openBrace) throws HclException {
    List<Object> items = new ArrayList<>();
    Set<String> attributeNames = new HashSet<>();
    while (true) {
      skipWhitespace(true);
      if (atEnd()) {
        if (openBrace >= 0) {
          throw error(openBrace, "unclosed block: the '{' here has no matching '}'; add the closing brace");
        }
        return new NativeBody(items, start);
      }
      if (peek() == '}') {
        if (openBrace < 0) {
          throw error(offset, "unexpected '}' with no block open; remove it");
        }
        offset++;
        return new NativeBody(items, start);
      }

      int itemStart = offset;
      if (!isIdentifierStart(peek())) {
        throw error(offset, "expected an attribute name or a block type, found " + describeHere());
      }
      String name = readIdentifier();
      skipWhitespace(false);
      if (peek() == '=' && peek(1) != '=') {
        offset++;
        Expression expression = parseExpression();
        if (!attributeNames.add(name)) {
          throw error(itemStart, "attribute " + name + " is already set in this body; remove one of them");
        }
        items.add(new Attribute(name, expression, position(itemStart)));
      } else {
        items.add(parseBlock(name, itemStart));
      }
      expectItemEnd(openBrace >= 0);
    }
  }

  private Block parseBlock(String type, int typeStart) throws HclException {
    List<String> labels = new ArrayList<>();
    List<Position> labelPositions = new ArrayList<>();
    while (true) {
      skipWhitespace(false);
      int labelStart = offset;
      if (peek() == '"') {
        labels.add(readLiteralString());
      } else if (isIdentifierStart(peek())) {
        labels.add(readIdentifier());
      } else if (peek() == '{') {
        break;
      } else {
        throw error(offset, "expected '=' after attribute " + type + ", or a block label or '{', found "
            + describeHere());
      }
      labelPositions.add(position(labelStart));
    }

    int openBrace = offset;
    offset++;
    int saved = newlinesIgnored;
    newlinesIgnored = 0;
    NativeBody body = parseBody(position(openBrace), openBrace);
    newlinesIgnored = saved;
    return new Block(type, List.copyOf(labels), List.copyOf(labelPositions), body, position(typeStart));
  }

  /** After an attribute or block: a newline, the end of input, or the '}' of a one-line block. */
  private void expectItemEnd(boolean inBlock) throws HclException {
    skipWhitespace(false);
    if (atEnd() || peek() == '\n') {
      return;
    }
    if (inBlock && peek() == '}') {
      return;
    }
    throw error(offset, "expected a newline after this item, found " + describeHere()
        + "; put each attribute and block on its own line");
  }

  // ---- expressions

  Expression parseExpression() throws HclException {
    Expression condition = parseBinary(1);
    skipWhitespace(newlinesIgnored > 0);
    if (peek() != '?') {
      return condition;
    }
    offset++;
    Expression then = parseExpression();
    skipWhitespace(newlinesIgnored > 0);
    expect(':', "to separate the two results of the conditional");
    Expression otherwise = parseExpression();
    return new Conditional(condition, then, otherwise, condition.position());
  }

  private Expression parseBinary(int minimumPrecedence) throws HclException {
    Expression left = parseUnary();
    while (true) {
      skipWhitespace(newlinesIgnored > 0);
      int operatorStart = offset;
      Operator operator = peekBinaryOperator();
      if (operator == null || operator.precedence < minimumPrecedence) {
        return left;
      }
      offset += operator.symbol.length();
      Expression right = parseBinary(operator.precedence + 1);
      left = new Binary(operator, left, right, position(operatorStart));
    }
  }

  private Operator peekBinaryOperator() {
    char c = peek();
    char next = peek(1);
    return switch (c) {
      case '|' -> next == '|' ? Operator.OR : null;
      case '&' -> next == '&' ? Operator.AND : null;
      case '=' -> next == '=' ? Operator.EQUAL : null;
      case '!' -> next == '=' ? Operator.NOT_EQUAL : null;
      case '>' -> next == '=' ? Operator.GREATER_OR_EQUAL : Operator.GREATER;
      case '<' -> next == '<' ? null : next == '=' ? Operator.LESS_OR_EQUAL : Operator.LESS;
      case '+' -> Operator.ADD;
      case '-' -> Operator.SUBTRACT;
      case '*' -> Operator.MULTIPLY;
      case '/' -> Operator.DIVIDE;
      case '%' -> Operator.MODULO;
      default -> null;
    };
  }

  private Expression parseUnary() throws HclException {
    skipWhitespace(newlinesIgnored > 0);
    int start = offset;
    if (peek() == '!') {
      offset++;
      return new Unary(Operator.NOT, parseUnary(), position(start));
    }
    if (peek() == '-') {
      offset++;
      return new Unary(Operator.NEGATE, parseUnary(), position(start));
    }
    return parsePostfix(parsePrimary(), false);
  }

  /**
   * Parses the traversals after {@code base}: attribute access, index and splats. Everything after a splat
   * becomes the splat's per-element expression; an attribute-only splat ({@code .*}) takes only
   * attribute steps.
   */
  private Expression parsePostfix(Expression base, boolean attributesOnly) throws HclException {
    Expression current = base;
    while (true) {
      int save = offset;
      skipWhitespace(newlinesIgnored > 0);
      int start = offset;
      if (peek() == '.' && peek(1) != '.') {
        offset++;
        if (peek() == '*') {
          offset++;
          current = new Splat(current, parsePostfix(new SplatItem(position(start)), true), position(start));
          continue;
        }
        if (isDigit(peek())) {
          int digitsStart = offset;
          while (isDigit(peek())) {
            offset++;
          }
          BigDecimal index = new BigDecimal(source.substring(digitsStart, offset));
          current = new Index(current, new Literal(index, position(digitsStart)), position(start));
          continue;
        }
        if (!isIdentifierStart(peek())) {
          throw error(offset, "expected an attribute name after '.', found " + describeHere());
        }
        current = new GetAttr(current, readIdentifier(), position(start));
        continue;
      }
      if (peek() == '[' && !attributesOnly) {
        offset++;
        newlinesIgnored++;
        skipWhitespace(true);
        if (peek() == '*') {
          offset++;
          skipWhitespace(true);
          expect(']', "to close the splat [*]");
          newlinesIgnored--;
          current = new Splat(current, parsePostfix(new SplatItem(position(start)), false), position(start));
          continue;
        }
        Expression key = parseExpression();
        skipWhitespace(true);
        expect(']', "to close the index");
        newlinesIgnored--;
        current = new Index(current, key, position(start));
        continue;
      }
      offset = save;
      return current;
    }
  }

  private Expression parsePrimary() throws HclException {
    skipWhitespace(newlinesIgnored > 0);
    int start = offset;
    if (atEnd()) {
      throw error(offset, "expected an expression, found the end of the file");
    }
    char c = peek();
    if (isDigit(c)) {
      return parseNumber();
    }
    if (c == '"') {
      offset++;
      return parseTemplate(TemplateEnd.QUOTE, -1, false);
    }
    if (c == '<' && peek(1) == '<') {
      return parseHeredoc();
    }
    if (c == '[') {
      return parseTuple();
    }
    if (c == '{') {
      return parseObject();
    }
    if (c == '(') {
      offset++;
      newlinesIgnored++;
      Expression inner = parseExpression();
      skipWhitespace(true);
      expect(')', "to close the parenthesis");
      newlinesIgnored--;
      return inner;
    }
    if (isIdentifierStart(c)) {
      String name = readIdentifier();
      switch (name) {
        case "true":
          return new Literal(Boolean.TRUE, position(start));
        case "false":
          return new Literal(Boolean.FALSE, position(start));
        case "null":
          return new Literal(null, position(start));
        default:
          break;
      }
      int afterName = offset;
      skipWhitespace(false);
      if (peek() == '(') {
        return parseCall(name, start);
      }
      offset = afterName;
      return new Variable(name, position(start));
    }
    throw error(offset, "expected an expression, found " + describeHere());
  }

  private Expression parseNumber() throws HclException {
    int start = offset;
    while (isDigit(peek())) {
      offset++;
    }
    if (peek() == '.' && isDigit(peek(1))) {
      offset++;
      while (isDigit(peek())) {
        offset++;
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      int save = offset;
      offset++;
      if (peek() == '+' || peek() == '-') {
        offset++;
      }
      if (!isDigit(peek())) {
        offset = save;
      } else {
        while (isDigit(peek())) {
          offset++;
        }
      }
    }
    return new Literal(Values.normalize(new BigDecimal(source.substring(start, offset))), position(start));
  }

  private Expression parseCall(String name, int start) throws HclException {
    offset++;
    newlinesIgnored++;
    List<Expression> arguments = new ArrayList<>();
    boolean expandFinal = false;
    while (true) {
      skipWhitespace(true);
      if (peek() == ')') {
        break;
      }
      arguments.add(parseExpression());
      skipWhitespace(true);
      if (peek() == '.' && peek(1) == '.' && peek(2) == '.') {
        offset += 3;
        expandFinal = true;
        skipWhitespace(true);
        if (peek() == ',') {
          offset++;
          skipWhitespace(true);
        }
        if (peek() != ')') {
          throw error(offset, "only the last argument of " + name + "() can be expanded with '...'; move it last");
        }
        break;
      }
      if (peek() == ',') {
        offset++;
        continue;
      }
      if (peek() != ')') {
        throw error(offset, "expected ',' or ')' in the arguments of " + name + "(), found " + describeHere());
      }
    }
    offset++;
    newlinesIgnored--;
    return new Call(name, List.copyOf(arguments), expandFinal, position(start));
  }

  private Expression parseTuple() throws HclException {
    int start = offset;
    offset++;
    newlinesIgnored++;
    skipWhitespace(true);
    if (lookingAtKeyword("for")) {
      Expression forExpression = parseFor(start, false);
      newlinesIgnored--;
      return forExpression;
    }
    List<Expression> elements = new ArrayList<>();
    while (true) {
      skipWhitespace(true);
      if (atEnd()) {
        throw error(start, "unclosed tuple: the '[' here has no matching ']'; add it");
      }
      if (peek() == ']') {
        break;
      }
      elements.add(parseExpression());
      skipWhitespace(true);
      if (peek() == ',') {
        offset++;
        continue;
      }
      if (peek() != ']') {
        throw error(offset, "expected ',' or ']' in the tuple, found " + describeHere());
      }
    }
    offset++;
    newlinesIgnored--;
    return new TupleCons(List.copyOf(elements), position(start));
  }

  private Expression parseObject() throws HclException {
    int start = offset;
    offset++;
    int saved = newlinesIgnored;
    newlinesIgnored = 0;
    skipWhitespace(true);
    if (lookingAtKeyword("for")) {
      newlinesIgnored = 1;
      Expression forExpression = parseFor(start, true);
      newlinesIgnored = saved;
      return forExpression;
    }

    List<Expression> keys = new ArrayList<>();
    List<Expression> values = new ArrayList<>();
    while (true) {
      skipWhitespace(true);
      if (atEnd()) {
        throw error(start, "unclosed object: the '{' here has no matching '}'; add it");
      }
      if (peek() == '}') {
        break;
      }
      keys.add(parseObjectKey());
      skipWhitespace(false);
      if (peek() == '=' || peek() == ':') {
        offset++;
      } else {
        throw error(offset, "expected '=' or ':' after the object key, found " + describeHere());
      }
      values.add(parseExpression());
      skipWhitespace(false);
      if (peek() == ',') {
        offset++;
        continue;
      }
      if (peek() == '\n' || peek() == '}') {
        continue;
      }
      throw error(offset, "expected ',', a newline or '}' after the object element, found " + describeHere());
    }
    offset++;
    newlinesIgnored = saved;
    return new ObjectCons(List.copyOf(keys), List.copyOf(values), position(start));
  }

  /** Parses an object key: a bare identifier is the literal name, anything else (even {@code (name)}) an expression. */
  private Expression parseObjectKey() throws HclException {
    int start = offset;
    if (isIdentifierStart(peek())) {
      String name = readIdentifier();
      int afterName = offset;
      skipWhitespace(false);
      if ((peek() == '=' && peek(1) != '=') || peek() == ':') {
        offset = afterName;
        return new Literal(name, position(start));
      }
      offset = start;
    }
    newlinesIgnored++;
    Expression key = parseBinary(1);
    newlinesIgnored--;
    return key;
  }

  private Expression parseFor(int start, boolean object) throws HclException {
    offset += 3;
    skipWhitespace(true);
    String first = expectIdentifier("as the for loop variable");
    String second = null;
    skipWhitespace(true);
    if (peek() == ',') {
      offset++;
      skipWhitespace(true);
      second = expectIdentifier("as the for loop value variable");
      skipWhitespace(true);
    }
    if (!lookingAtKeyword("in")) {
      throw error(offset, "expected 'in' in the for expression, found " + describeHere());
    }
    offset += 2;
    Expression collection = parseExpression();
    skipWhitespace(true);
    expect(':', "after the collection of the for expression");

    Expression keyResult = null;
    Expression valueResult;
    boolean grouping = false;
    if (object) {
      keyResult = parseExpression();
      skipWhitespace(true);
      if (!(peek() == '=' && peek(1) == '>')) {
        throw error(offset, "expected '=>' between the key and value of the object for expression, found "
            + describeHere());
      }
      offset += 2;
      valueResult = parseExpression();
      skipWhitespace(true);
      if (peek() == '.' && peek(1) == '.' && peek(2) == '.') {
        offset += 3;
        grouping = true;
      }
    } else {
      valueResult = parseExpression();
    }

    Expression condition = null;
    skipWhitespace(true);
    if (lookingAtKeyword("if")) {
      offset += 2;
      condition = parseExpression();
    }
    skipWhitespace(true);
    char close = object ? '}' : ']';
    expect(close, "to close the for expression");

    String keyVariable = second == null ? null : first;
    String valueVariable = second == null ? first : second;
    return new For(keyVariable, valueVariable, collection, keyResult, valueResult, condition, grouping,
        position(start));
  }

  // ---- templates

  private enum TemplateEnd { QUOTE, LIMIT }

  /**
   * Parses template text from the current offset until a closing quote ({@link TemplateEnd#QUOTE}) or the
   * offset {@code limit}. Quoted templates decode backslash escapes; heredocs keep backslashes.
   *
   * <p>Literal text becomes one token per source line, as HCL's scanner makes it, because strip markers
   * and the {@code <<-} indentation rule work on those tokens: {@code ~}} trims only the next token, and
   * only tokens that start a line lose indentation.
   */
  private Template parseTemplate(TemplateEnd end, int limit, boolean flush) throws HclException {
    int start = end == TemplateEnd.QUOTE ? offset - 1 : offset;
    List<Object> tokens = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean trimNext = false;

    while (true) {
      if (end == TemplateEnd.LIMIT && offset >= limit) {
        break;
      }
      if (atEnd()) {
        throw error(start, "unterminated string: add the closing '\"'");
      }

      char c = peek();
      if (end == TemplateEnd.QUOTE && c == '"') {
        offset++;
        break;
      }
      if (end == TemplateEnd.QUOTE && c == '\n') {
        throw error(start, "unterminated string: a quoted string cannot span lines; close it with '\"' or use "
            + "a heredoc (<<EOT)");
      }
      if ((c == '$' || c == '%') && peek(1) == c && peek(2) == '{') {
        text.append(c).append('{');
        offset += 3;
        continue;
      }
      if ((c == '$' || c == '%') && peek(1) == '{') {
        int sequenceStart = offset;
        offset += 2;
        trimNext = addLiteral(tokens, text, trimNext);
        if (peek() == '~') {
          offset++;
          if (!tokens.isEmpty() && tokens.get(tokens.size() - 1) instanceof LiteralToken previous) {
            previous.text = previous.text.stripTrailing();
          }
        }
        Object token = c == '$' ? parseInterpolation() : parseDirective(sequenceStart);
        tokens.add(token);
        trimNext = closeSequence(sequenceStart);
        continue;
      }
      if (end == TemplateEnd.QUOTE && c == '\\') {
        readEscape(text);
        continue;
      }
      text.append(c);
      offset++;
      if (c == '\n') {
        trimNext = addLiteral(tokens, text, trimNext);
      }
    }
    addLiteral(tokens, text, trimNext);

    if (flush) {
      removeIndentation(tokens);
    }
    List<Object> melded = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (Object token : tokens) {
      if (token instanceof LiteralToken literal) {
        run.append(literal.text);
        continue;
      }
      if (run.length() > 0) {
        melded.add(new TemplatePart.Text(run.toString()));
        run.setLength(0);
      }
      melded.add(token);
    }
    if (run.length() > 0) {
      melded.add(new TemplatePart.Text(run.toString()));
    }
    List<TemplatePart> parts = buildTemplate(melded, 0, melded.size(), position(start));
    return new Template(parts, position(start));
  }

  /** A literal token while a template is parsed; strip markers and indentation rules edit it in place. */
  private static final class LiteralToken {
    String text;

    LiteralToken(String text) {
      this.text = text;
    }
  }

  /**
   * Ends the literal token collected so far, trimming its leading whitespace when the sequence before it
   * ended with {@code ~}}. Returns false, since the trim request applies to this token only.
   */
  private static boolean addLiteral(List<Object> tokens, StringBuilder text, boolean trim) {
    if (text.length() == 0) {
      return trim;
    }
    String value = text.toString();
    text.setLength(0);
    tokens.add(new LiteralToken(trim ? value.stripLeading() : value));
    return false;
  }

  /**
   * Applies the {@code <<-} rule as HCL does: among the tokens that start a line, find the least leading
   * whitespace, ignoring blank lines, and remove that much from each of them. A line starting with an
   * interpolation or directive counts as no indentation; one starting with %{endif} or %{endfor} ends the
   * scan, as in HCL's implementation.
   */
  private static void removeIndentation(List<Object> tokens) {
    int minimum = Integer.MAX_VALUE;
    boolean lineStart = true;
    List<LiteralToken> adjust = new ArrayList<>();
    for (Object token : tokens) {
      if (lineStart) {
        lineStart = false;
        int spaces = 0;
        if (token instanceof LiteralToken literal) {
          String trimmed = literal.text.stripLeading();
          if (trimmed.isEmpty() && literal.text.endsWith("\n")) {
            spaces = Integer.MAX_VALUE;
          } else {
            String leading = literal.text.substring(0, literal.text.length() - trimmed.length());
            spaces = leading.codePointCount(0, leading.length());
            adjust.add(literal);
          }
        } else if (token instanceof EndIfToken || token instanceof EndForToken) {
          break;
        }
        minimum = Math.min(minimum, spaces);
      }
      if (token instanceof LiteralToken literal && literal.text.endsWith("\n")) {
        lineStart = true;
      }
    }
    if (minimum == Integer.MAX_VALUE) {
      return;
    }
    for (LiteralToken literal : adjust) {
      literal.text = literal.text.substring(literal.text.offsetByCodePoints(0,
          Math.min(minimum, literal.text.codePointCount(0, literal.text.length()))));
    }
  }

  /** Reads the optional '~' and the '}' that end an interpolation or directive; returns whether '~' was there. */
  private boolean closeSequence(int sequenceStart) throws HclException {
    skipWhitespace(true);
    boolean strip = false;
    if (peek() == '~') {
      offset++;
      strip = true;
    }
    if (peek() != '}') {
      throw error(offset, "expected '}' to close the template sequence opened at "
          + position(sequenceStart) + ", found " + describeHere());
    }
    offset++;
    return strip;
  }

  private Object parseInterpolation() throws HclException {
    newlinesIgnored++;
    Expression expression = parseExpression();
    newlinesIgnored--;
    return new TemplatePart.Interpolation(expression);
  }

  /** Directive tokens, later nested by {@link #buildTemplate}. */
  private record IfToken(Expression condition, Position position) {}

  private record ElseToken(Position position) {}

  private record EndIfToken(Position position) {}

  private record ForToken(String keyVariable, String valueVariable, Expression collection, Position position) {}

  private record EndForToken(Position position) {}

  private Object parseDirective(int sequenceStart) throws HclException {
    newlinesIgnored++;
    skipWhitespace(true);
    Position at = position(sequenceStart);
    String keyword = isIdentifierStart(peek()) ? readIdentifier() : "";
    Object token;
    switch (keyword) {
      case "if" -> token = new IfToken(parseExpression(), at);
      case "else" -> token = new ElseToken(at);
      case "endif" -> token = new EndIfToken(at);
      case "endfor" -> token = new EndForToken(at);
      case "for" -> {
        skipWhitespace(true);
        String first = expectIdentifier("as the for loop variable");
        String second = null;
        skipWhitespace(true);
        if (peek() == ',') {
          offset++;
          skipWhitespace(true);
          second = expectIdentifier("as the for loop value variable");
          skipWhitespace(true);
        }
        if (!lookingAtKeyword("in")) {
          throw error(offset, "expected 'in' in the for directive, found " + describeHere());
        }
        offset += 2;
        Expression collection = parseExpression();
        token = second == null
            ? new ForToken(null, first, collection, at)
            : new ForToken(first, second, collection, at);
      }
      default -> throw error(sequenceStart, "unknown template directive '" + keyword
          + "'; use if, else, endif, for or endfor, or write %%{ for a literal %{");
    }
    newlinesIgnored--;
    return token;
  }

  private List<TemplatePart> buildTemplate(List<Object> tokens, int from, int to, Position start)
      throws HclException {
    List<TemplatePart> parts = new ArrayList<>();
    int i = from;
    while (i < to) {
      Object token = tokens.get(i);
      if (token instanceof TemplatePart part) {
        parts.add(part);
        i++;
      } else if (token instanceof IfToken ifToken) {
        int elseAt = -1;
        int endAt = -1;
        int depth = 0;
        for (int j = i + 1; j < to && endAt < 0; j++) {
          Object inner = tokens.get(j);
          if (inner instanceof IfToken) {
            depth++;
          } else if (inner instanceof EndIfToken) {
            if (depth == 0) {
              endAt = j;
            } else {
              depth--;
            }
          } else if (inner instanceof ElseToken && depth == 0) {
            if (elseAt >= 0) {
              throw new HclException(((ElseToken) inner).position(), "a second %{else} in one %{if}; remove it");
            }
            elseAt = j;
          }
        }
        if (endAt < 0) {
          throw new HclException(ifToken.position(), "%{if} without %{endif}; add %{endif} after the body");
        }
        List<TemplatePart> then = buildTemplate(tokens, i + 1, elseAt >= 0 ? elseAt : endAt, start);
        List<TemplatePart> otherwise = elseAt >= 0 ? buildTemplate(tokens, elseAt + 1, endAt, start) : List.of();
        parts.add(new TemplatePart.If(ifToken.condition(), then, otherwise, ifToken.position()));
        i = endAt + 1;
      } else if (token instanceof ForToken forToken) {
        int endAt = -1;
        int depth = 0;
        for (int j = i + 1; j < to && endAt < 0; j++) {
          Object inner = tokens.get(j);
          if (inner instanceof ForToken) {
            depth++;
          } else if (inner instanceof EndForToken) {
            if (depth == 0) {
              endAt = j;
            } else {
              depth--;
            }
          }
        }
        if (endAt < 0) {
          throw new HclException(forToken.position(), "%{for} without %{endfor}; add %{endfor} after the body");
        }
        parts.add(new TemplatePart.For(forToken.keyVariable(), forToken.valueVariable(), forToken.collection(),
            buildTemplate(tokens, i + 1, endAt, start), forToken.position()));
        i = endAt + 1;
      } else if (token instanceof ElseToken elseToken) {
        throw new HclException(elseToken.position(), "%{else} outside an %{if}; remove it or add the %{if}");
      } else if (token instanceof EndIfToken endIf) {
        throw new HclException(endIf.position(), "%{endif} without an %{if}; remove it");
      } else {
        throw new HclException(((EndForToken) token).position(), "%{endfor} without a %{for}; remove it");
      }
    }
    return parts;
  }

  private void readEscape(StringBuilder text) throws HclException {
    int start = offset;
    offset++;
    char c = peek();
    offset++;
    switch (c) {
      case 'n' -> text.append('\n');
      case 'r' -> text.append('\r');
      case 't' -> text.append('\t');
      case '"' -> text.append('"');
      case '\\' -> text.append('\\');
      case 'u', 'U' -> {
        int digits = c == 'u' ? 4 : 8;
        if (offset + digits > source.length()) {
          throw error(start, "invalid escape: \\" + c + " needs " + digits + " hex digits");
        }
        String hex = source.substring(offset, offset + digits);
        try {
          text.appendCodePoint(Integer.parseInt(hex, 16));
        } catch (IllegalArgumentException e) {
          throw error(start, "invalid escape \\" + c + hex + ": write " + digits + " hex digits of a code point");
        }
        offset += digits;
      }
      default -> throw error(start, "invalid escape \\" + c
          + "; use \\n, \\r, \\t, \\\", \\\\, \\uNNNN or \\UNNNNNNNN, or write \\\\ for a backslash");
    }
  }

  private Expression parseHeredoc() throws HclException {
    int start = offset;
    offset += 2;
    boolean indented = false;
    if (peek() == '-') {
      indented = true;
      offset++;
    }
    if (!isIdentifierStart(peek())) {
      throw error(offset, "expected a heredoc marker such as EOT after <<, found " + describeHere());
    }
    String marker = readIdentifier();
    if (peek() == '\r') {
      offset++;
    }
    if (peek() != '\n') {
      throw error(offset, "a heredoc marker must end its line; start the text on the next line");
    }
    offset++;

    int contentStart = offset;
    int lineStart = offset;
    int contentEnd = -1;
    int afterMarker = -1;
    while (lineStart <= source.length()) {
      int lineEnd = source.indexOf('\n', lineStart);
      if (lineEnd < 0) {
        lineEnd = source.length();
      }
      String line = source.substring(lineStart, lineEnd);
      String trimmed = line.strip();
      if (trimmed.equals(marker)) {
        contentEnd = lineStart;
        afterMarker = lineStart + line.indexOf(marker) + marker.length();
        break;
      }
      if (lineEnd == source.length()) {
        break;
      }
      lineStart = lineEnd + 1;
    }
    if (contentEnd < 0) {
      throw error(start, "unclosed heredoc: add a line containing only " + marker + " after the text");
    }

    offset = contentStart;
    Template template = parseTemplate(TemplateEnd.LIMIT, contentEnd, indented);
    offset = afterMarker;
    return new Template(template.parts(), position(start));
  }

  /** Parses a whole string as a template, for JSON string values. */
  Template parseWholeTemplate() throws HclException {
    Template template = parseTemplate(TemplateEnd.LIMIT, source.length(), false);
    return template;
  }

  /** Parses a whole string as one expression, for JSON values that hold expressions such as types. */
  Expression parseWholeExpression() throws HclException {
    newlinesIgnored = 1;
    Expression expression = parseExpression();
    skipWhitespace(true);
    if (!atEnd()) {
      throw error(offset, "unexpected " + describeHere() + " after the expression; remove it");
    }
    return expression;
  }

  // ---- characters

  private void skipWhitespace(boolean newlines) throws HclException {
    while (!atEnd()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        offset++;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        while (!atEnd() && peek() != '\n') {
          offset++;
        }
      } else if (c == '/' && peek(1) == '*') {
        int start = offset;
        int end = source.indexOf("*/", offset + 2);
        if (end < 0) {
          throw error(start, "unclosed comment: add */ to end it");
        }
        offset = end + 2;
      } else {
        return;
      }
    }
  }

  private boolean lookingAtKeyword(String keyword) {
    return source.startsWith(keyword, offset)
        && !isIdentifierPart(peek(keyword.length()));
  }

  private String readIdentifier() {
    int start = offset;
    offset++;
    while (isIdentifierPart(peek())) {
      offset++;
    }
    return source.substring(start, offset);
  }

  private String expectIdentifier(String purpose) throws HclException {
    if (!isIdentifierStart(peek())) {
      throw error(offset, "expected a name " + purpose + ", found " + describeHere());
    }
    return readIdentifier();
  }

  /** Reads a quoted string without templates, as block labels are. */
  private String readLiteralString() throws HclException {
    int start = offset;
    Template template = (Template) parsePrimary();
    StringBuilder text = new StringBuilder();
    for (TemplatePart part : template.parts()) {
      if (!(part instanceof TemplatePart.Text literal)) {
        throw error(start, "a block label cannot contain ${...} or %{...}; write a literal name");
      }
      text.append(literal.text());
    }
    return text.toString();
  }

  private void expect(char c, String purpose) throws HclException {
    if (peek() != c) {
      throw error(offset, "expected '" + c + "' " + purpose + ", found " + describeHere());
    }
    offset++;
  }

  private String describeHere() {
    if (atEnd()) {
      return "the end of the file";
    }
    char c = peek();
    if (c == '\n') {
      return "a newline";
    }
    return "'" + c + "'";
  }

  private boolean atEnd() {
    return offset >= source.length();
  }

  private char peek() {
    return peek(0);
  }

  private char peek(int ahead) {
    int at = offset + ahead;
    return at < source.length() ? source.charAt(at) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-';
  }

  Position position(int at) {
    int line = lineIndex(at);
    int column = at - lineStarts[line] + 1;
    if (line == 0) {
      return new Position(file, baseLine, baseColumn + column - 1);
    }
    return new Position(file, baseLine + line, column);
  }

  private int lineIndex(int at) {
    int low = 0;
    int high = lineStarts.length - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (lineStarts[middle] <= at) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  private HclException error(int at, String message) {
    return new HclException(position(at), message);
  }
}
