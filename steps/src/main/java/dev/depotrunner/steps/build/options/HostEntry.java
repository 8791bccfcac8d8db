package dev.depotrunner.steps.build.options;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --add-host} mapping for the build's {@code /etc/hosts}: {@code HOST=IP} or {@code HOST:IP}
 * (the first {@code =}, else the first {@code :}, separates them). An IPv6 address may be written in
 * brackets, and the special address {@code host-gateway} stands for the builder host's gateway address,
 * which only a Docker Engine builder knows.
 */
public record HostEntry(String host, String address) {

  /** The address that the planner replaces with the builder's host gateway address. */
  public static final String HOST_GATEWAY = "host-gateway";

  /**
   * Parses one mapping.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static HostEntry parse(String value) {
    int separator = value.indexOf('=');
    if (separator < 0) {
      separator = value.indexOf(':');
    }
    if (separator <= 0 || separator == value.length() - 1) {
      throw invalid(value, "use HOST=IP or HOST:IP, such as registry.local=10.0.0.5");
    }
    String host = value.substring(0, separator);
    String address = value.substring(separator + 1);
    if (address.equals(HOST_GATEWAY)) {
      return new HostEntry(host, address);
    }
    if (address.length() > 2 && address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    if (!isIpv4(address) && !isIpv6(address)) {
      throw invalid(value, "\"" + address + "\" is not an IP address");
    }
    return new HostEntry(host, address);
  }

  /**
   * Parses an {@code --add-host} flag value, which may hold several mappings separated by commas (the
   * flag is a string slice in buildx, split with Go's CSV rules).
   */
  public static List<HostEntry> parseAll(String value) {
    List<String> fields;
    try {
      fields = GoCsv.readRecord(value);
    } catch (GoCsv.SyntaxException e) {
      throw invalid(value, e.getMessage());
    }
    List<HostEntry> entries = new ArrayList<>();
    for (String field : fields) {
      entries.add(parse(field));
    }
    return entries;
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid host mapping \"" + value + "\": " + reason);
  }

  /** Returns whether the address is dotted-decimal IPv4 as Go's net.ParseIP accepts it (no leading zeros). */
  static boolean isIpv4(String address) {
    String[] octets = address.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if (octet.length() > 1 && octet.charAt(0) == '0') {
        return false;
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether the address is IPv6 text (RFC 4291 section 2.2) without a zone. */
  static boolean isIpv6(String address) {
    int doubleColon = address.indexOf("::");
    if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }

    String[] groups;
    if (doubleColon >= 0) {
      String head = address.substring(0, doubleColon);
      String tail = address.substring(doubleColon + 2);
      List<String> parts = new ArrayList<>();
      if (!head.isEmpty()) {
        parts.addAll(List.of(head.split(":", -1)));
      }
      if (!tail.isEmpty()) {
        parts.addAll(List.of(tail.split(":", -1)));
      }
      groups = parts.toArray(String[]::new);
    } else {
      groups = address.split(":", -1);
    }

    int words = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (i == groups.length - 1 && group.contains(".")) {
        if (!isIpv4(group)) {
          return false;
        }
        words += 2;
        continue;
      }
      if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(HostEntry::isHexDigit)) {
        return false;
      }
      words++;
    }
    return doubleColon >= 0 ? words < 8 : words == 8;
  }

  private static boolean isHexDigit(int character) {
    return Character.digit(character, 16) >= 0 && character < 128;
  }

  /** Returns {@code host=address}, the form of BuildKit's {@code add-hosts} frontend attribute. */
  @Override
  public String toString() {
    return host + "=" + address;
  }
}
