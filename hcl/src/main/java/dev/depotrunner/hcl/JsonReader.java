package dev.depotrunner.hcl;

import dev.depotrunner.hcl.JsonNode.JsonArray;
import dev.depotrunner.hcl.JsonNode.JsonObject;
import dev.depotrunner.hcl.JsonNode.JsonScalar;
import dev.depotrunner.hcl.JsonNode.JsonString;
import dev.depotrunner.hcl.JsonNode.Member;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A strict JSON (RFC 8259) reader that records line and column of every value. */
final class JsonReader {

  private final String file;
  private final String text;
  private int offset;
  private int line = 1;
  private int lineStart;

  JsonReader(String file, String text) {
    this.file = file;
    this.text = text;
  }

  JsonNode readDocument() throws HclException {
    if (text.startsWith("\uFEFF")) {
      offset = 1;
    }
    JsonNode value = readValue();
    skipWhitespace();
    if (offset < text.length()) {
      throw error("unexpected " + describe() + " after the JSON value; remove it");
    }
    return value;
  }

  private JsonNode readValue() throws HclException {
    skipWhitespace();
    Position at = position();
    if (offset >= text.length()) {
      throw error("expected a JSON value, found the end of the file");
    }
    char c = text.charAt(offset);
    switch (c) {
      case '{':
        return readObject(at);
      case '[':
        return readArray(at);
      case '"': {
        offset++;
        Position content = position();
        return new JsonString(readStringBody(), at, content);
      }
      case 't':
        return readKeyword("true", Boolean.TRUE, at);
      case 'f':
        return readKeyword("false", Boolean.FALSE, at);
      case 'n':
        return readKeyword("null", null, at);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return readNumber(at);
        }
        throw error("expected a JSON value, found " + describe());
    }
  }

  private JsonNode readObject(Position at) throws HclException {
    offset++;
    List<Member> members = new ArrayList<>();
    skipWhitespace();
    if (peek() == '}') {
      offset++;
      return new JsonObject(members, at);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a quoted property name, found " + describe());
      }
      Position namePosition = position();
      offset++;
      String name = readStringBody();
      skipWhitespace();
      if (peek() != ':') {
        throw error("expected ':' after the property name \"" + name + "\", found " + describe());
      }
      offset++;
      members.add(new Member(name, namePosition, readValue()));
      skipWhitespace();
      if (peek() == ',') {
        offset++;
        continue;
      }
      if (peek() == '}') {
        offset++;
        return new JsonObject(members, at);
      }
      if (offset >= text.length()) {
        throw new HclException(at, "unclosed JSON object: the '{' here has no matching '}'; add it");
      }
      throw error("expected ',' or '}' in the object, found " + describe());
    }
  }

  private JsonNode readArray(Position at) throws HclException {
    offset++;
    List<JsonNode> elements = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      offset++;
      return new JsonArray(elements, at);
    }
    while (true) {
      elements.add(readValue());
      skipWhitespace();
      if (peek() == ',') {
        offset++;
        continue;
      }
      if (peek() == ']') {
        offset++;
        return new JsonArray(elements, at);
      }
      if (offset >= text.length()) {
        throw new HclException(at, "unclosed JSON array: the '[' here has no matching ']'; add it");
      }
      throw error("expected ',' or ']' in the array, found " + describe());
    }
  }

  private String readStringBody() throws HclException {
    StringBuilder value = new StringBuilder();
    while (true) {
      if (offset >= text.length() || text.charAt(offset) == '\n') {
        throw error("unterminated JSON string: add the closing '\"'");
      }
      char c = text.charAt(offset++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escape = offset < text.length() ? text.charAt(offset++) : '\0';
      switch (escape) {
        case '"', '\\', '/' -> value.append(escape);
        case 'b' -> value.append('\b');
        case 'f' -> value.append('\f');
        case 'n' -> value.append('\n');
        case 'r' -> value.append('\r');
        case 't' -> value.append('\t');
        case 'u' -> {
          if (offset + 4 > text.length()) {
            throw error("invalid \\u escape: it needs 4 hex digits");
          }
          try {
            value.append((char) Integer.parseInt(text.substring(offset, offset + 4), 16));
          } catch (NumberFormatException e) {
            throw error("invalid \\u escape: it needs 4 hex digits");
          }
          offset += 4;
        }
        default -> throw error("invalid escape \\" + escape + " in a JSON string");
      }
    }
  }

  private JsonNode readNumber(Position at) throws HclException {
    int start = offset;
    if (peek() == '-') {
      offset++;
    }
    while (isNumberChar(peek())) {
      offset++;
    }
    String literal = text.substring(start, offset);
    try {
      return new JsonScalar(new BigDecimal(literal), at);
    } catch (NumberFormatException e) {
      throw new HclException(at, "invalid JSON number " + literal);
    }
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
  }

  private JsonNode readKeyword(String keyword, Object value, Position at) throws HclException {
    if (!text.startsWith(keyword, offset)) {
      throw error("expected a JSON value, found " + describe());
    }
    offset += keyword.length();
    return new JsonScalar(value, at);
  }

  private void skipWhitespace() {
    while (offset < text.length()) {
      char c = text.charAt(offset);
      if (c == '\n') {
        line++;
        lineStart = offset + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      offset++;
    }
  }

  private char peek() {
    return offset < text.length() ? text.charAt(offset) : '\0';
  }

  private String describe() {
    return offset >= text.length() ? "the end of the file" : "'" + text.charAt(offset) + "'";
  }

  private Position position() {
    return new Position(file, line, offset - lineStart + 1);
  }

  private HclException error(String message) {
    return new HclException(position(), message);
  }
}
