package dev.depotrunner.hcl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The cidr functions of go-cty-funcs. Addresses are parsed here, never by {@link java.net.InetAddress},
 * which could resolve a name over the network.
 */
final class Networks {

  private Networks() {}

  /** An address as an unsigned integer of {@code bits} bits (32 or 128) with its prefix length. */
  private record Prefix(BigInteger address, int bits, int length) {

    BigInteger network() {
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
      return address.andNot(hostMask);
    }
  }

  static Object host(String prefixText, BigDecimal hostNumber) throws ValueException {
    Prefix prefix = parsePrefix(prefixText);
    BigInteger number = integer(hostNumber, 1);
    BigInteger size = BigInteger.ONE.shiftLeft(prefix.bits() - prefix.length());
    if (number.signum() < 0) {
      number = size.add(number);
    }
    if (number.signum() < 0 || number.compareTo(size) >= 0) {
      throw new ValueException(1, "prefix of " + prefix.length() + " does not accommodate a host numbered "
          + hostNumber.toPlainString());
    }
    return format(prefix.network().add(number), prefix.bits());
  }

  static Object netmask(String prefixText) throws ValueException {
    Prefix prefix = parsePrefix(prefixText);
    if (prefix.bits() != 32) {
      throw new ValueException(0, "only IPv4 networks have a netmask");
    }
    BigInteger mask = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE)
        .xor(BigInteger.ONE.shiftLeft(32 - prefix.length()).subtract(BigInteger.ONE));
    return format(mask, 32);
  }

  static Object subnet(String prefixText, int newBits, BigDecimal netNumber) throws ValueException {
    Prefix prefix = parsePrefix(prefixText);
    return subnet(prefix, newBits, integer(netNumber, 2));
  }

  private static String subnet(Prefix prefix, int newBits, BigInteger number) throws ValueException {
    int length = prefix.length() + newBits;
    if (newBits < 0 || length > prefix.bits()) {
      throw new ValueException(1, "insufficient address space to extend prefix of " + prefix.length() + " by "
          + newBits);
    }
    if (number.signum() < 0 || number.compareTo(BigInteger.ONE.shiftLeft(newBits)) >= 0) {
      throw new ValueException(2, "prefix extension of " + newBits + " does not accommodate a subnet numbered "
          + number);
    }
    BigInteger address = prefix.network().or(number.shiftLeft(prefix.bits() - length));
    return format(address, prefix.bits()) + "/" + length;
  }

  /** Allocates consecutive subnets of the given extra bits, each aligned after the previous one. */
  static Object subnets(List<Object> arguments) throws ValueException {
    Prefix prefix = parsePrefix(Arguments.string(arguments, 0));
    List<Object> results = new ArrayList<>();
    BigInteger next = prefix.network();
    BigInteger end = prefix.network().add(BigInteger.ONE.shiftLeft(prefix.bits() - prefix.length()));
    for (int i = 1; i < arguments.size(); i++) {
      int newBits = Arguments.integer(arguments, i);
      int length = prefix.length() + newBits;
      if (newBits < 1 || length > prefix.bits()) {
        throw new ValueException(i, "would extend prefix to " + length + " bits, which is too long for an"
            + (prefix.bits() == 32 ? " IPv4" : " IPv6") + " address");
      }
      BigInteger size = BigInteger.ONE.shiftLeft(prefix.bits() - length);
      BigInteger aligned = next.add(size).subtract(BigInteger.ONE).divide(size).multiply(size);
      if (aligned.add(size).compareTo(end) > 0) {
        throw new ValueException(i, "not enough remaining address space for a subnet with a prefix of " + length
            + " bits after " + (results.isEmpty() ? "the start" : results.get(results.size() - 1)));
      }
      results.add(format(aligned, prefix.bits()) + "/" + length);
      next = aligned.add(size);
    }
    return results;
  }

  private static BigInteger integer(BigDecimal number, int argument) throws ValueException {
    try {
      return number.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new ValueException(argument, "a whole number is required");
    }
  }

  private static Prefix parsePrefix(String text) throws ValueException {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new ValueException(0, "invalid CIDR expression \"" + text + "\"; write it like 10.0.0.0/16");
    }
    String addressText = text.substring(0, slash);
    BigInteger address;
    int bits;
    if (addressText.contains(":")) {
      address = parseIpv6(addressText, text);
      bits = 128;
    } else {
      address = parseIpv4(addressText, text);
      bits = 32;
    }
    int length;
    try {
      length = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new ValueException(0, "invalid CIDR expression \"" + text + "\": the prefix length is not a number");
    }
    if (length < 0 || length > bits) {
      throw new ValueException(0, "invalid CIDR expression \"" + text + "\": the prefix length must be 0 to " + bits);
    }
    return new Prefix(address, bits, length);
  }

  private static BigInteger parseIpv4(String address, String whole) throws ValueException {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      throw new ValueException(0, "invalid CIDR expression \"" + whole + "\": not an IPv4 address");
    }
    long value = 0;
    for (String part : parts) {
      if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
        throw new ValueException(0, "invalid CIDR expression \"" + whole + "\": not an IPv4 address");
      }
      value = value << 8 | Integer.parseInt(part);
    }
    return BigInteger.valueOf(value);
  }

  private static BigInteger parseIpv6(String address, String whole) throws ValueException {
    String invalid = "invalid CIDR expression \"" + whole + "\": not an IPv6 address";
    int doubleColon = address.indexOf("::");
    List<String> head = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    if (doubleColon >= 0) {
      String before = address.substring(0, doubleColon);
      String after = address.substring(doubleColon + 2);
      if (!before.isEmpty()) {
        head.addAll(List.of(before.split(":", -1)));
      }
      if (!after.isEmpty()) {
        tail.addAll(List.of(after.split(":", -1)));
      }
    } else {
      head.addAll(List.of(address.split(":", -1)));
    }
    int groups = head.size() + tail.size();
    if (groups > 8 || (doubleColon < 0 && groups != 8)) {
      throw new ValueException(0, invalid);
    }
    List<String> all = new ArrayList<>(head);
    for (int i = groups; i < 8; i++) {
      all.add("0");
    }
    all.addAll(tail);
    BigInteger value = BigInteger.ZERO;
    for (String group : all) {
      if (!group.matches("[0-9a-fA-F]{1,4}")) {
        throw new ValueException(0, invalid);
      }
      value = value.shiftLeft(16).or(BigInteger.valueOf(Integer.parseInt(group, 16)));
    }
    return value;
  }

  private static String format(BigInteger address, int bits) {
    if (bits == 32) {
      long value = address.longValue();
      return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = address.shiftRight(16 * (7 - i)).intValue() & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
