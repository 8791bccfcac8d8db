package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.ValueException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic version constraints for buildx's {@code semvercmp}, following Masterminds/semver v3: {@code ||}
 * between alternatives, commas or spaces between conditions that must all hold, the operators
 * {@code = != > < >= <= ~ ~> ^}, wildcards {@code x X *} and missing parts, and hyphen ranges. A version with
 * a prerelease matches only conditions that name a prerelease themselves.
 */
final class Semver {

  private static final Pattern VERSION = Pattern.compile(
      "v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");

  private static final Pattern CONDITION = Pattern.compile(
      "(!=|>=|=>|<=|=<|~>|[=><~^])?\\s*(v?[0-9xX*][0-9A-Za-z.+*-]*)");

  /** A version; a null part was missing or a wildcard. */
  private record Version(BigInteger major, BigInteger minor, BigInteger patch, String prerelease) {

    BigInteger part(int index) {
      return index == 0 ? major : index == 1 ? minor : patch;
    }

    Version filled() {
      return new Version(zero(major), zero(minor), zero(patch), prerelease);
    }

    private static BigInteger zero(BigInteger value) {
      return value == null ? BigInteger.ZERO : value;
    }
  }

  private Semver() {}

  static boolean satisfies(String versionText, String constraintText) throws ValueException {
    if (versionText.matches(".*[xX*].*")) {
      throw new ValueException(0, "invalid semantic version \"" + versionText + "\": a version has no wildcards");
    }
    Version version = parse(versionText, 0).filled();
    for (String alternative : constraintText.split("\\|\\|")) {
      if (matchesAll(version, alternative.strip(), constraintText)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAll(Version version, String conditions, String whole) throws ValueException {
    Matcher hyphen = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)").matcher(conditions);
    conditions = hyphen.replaceAll(">= $1, <= $2");
    List<String> parts = new ArrayList<>();
    Matcher matcher = CONDITION.matcher(conditions.replace(",", " "));
    while (matcher.find()) {
      parts.add((matcher.group(1) == null ? "" : matcher.group(1)) + "\u0000" + matcher.group(2));
    }
    if (parts.isEmpty()) {
      throw new ValueException(1, "invalid version constraint \"" + whole + "\"");
    }
    boolean namesPrerelease = false;
    for (String part : parts) {
      String[] split = part.split("\u0000", 2);
      Version bound = parse(split[1], 1);
      namesPrerelease |= bound.prerelease() != null;
      if (!matches(version, split[0], bound)) {
        return false;
      }
    }
    return version.prerelease() == null || namesPrerelease;
  }

  private static boolean matches(Version version, String operator, Version bound) {
    int known = bound.major() == null ? 0 : bound.minor() == null ? 1 : bound.patch() == null ? 2 : 3;
    Version low = bound.filled();
    switch (operator) {
      case "", "=":
        if (known == 3) {
          return compare(version, low) == 0;
        }
        return compare(version, low) >= 0 && (known == 0 || compare(version, upper(low, known - 1)) < 0);
      case "!=":
        if (known == 3) {
          return compare(version, low) != 0;
        }
        return !(compare(version, low) >= 0 && (known == 0 || compare(version, upper(low, known - 1)) < 0));
      case ">":
        return known == 3 ? compare(version, low) > 0
            : known > 0 && compare(version, upper(low, known - 1)) >= 0;
      case ">=", "=>":
        return compare(version, low) >= 0;
      case "<":
        return compare(version, low) < 0;
      case "<=", "=<":
        return known == 3 ? compare(version, low) <= 0 : known == 0 || compare(version, upper(low, known - 1)) < 0;
      case "~", "~>":
        return compare(version, low) >= 0 && compare(version, upper(low, known <= 1 ? 0 : 1)) < 0;
      default: {
        int index = 0;
        if (low.major().signum() == 0 && known > 1) {
          index = low.minor().signum() == 0 && known > 2 ? 2 : 1;
        }
        return compare(version, low) >= 0 && compare(version, upper(low, index)) < 0;
      }
    }
  }

  /** Returns the first version above every version that shares the parts up to {@code index}. */
  private static Version upper(Version low, int index) {
    BigInteger major = low.major();
    BigInteger minor = low.minor();
    BigInteger patch = low.patch();
    if (index == 0) {
      return new Version(major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, "");
    }
    if (index == 1) {
      return new Version(major, minor.add(BigInteger.ONE), BigInteger.ZERO, "");
    }
    return new Version(major, minor, patch.add(BigInteger.ONE), "");
  }

  /** Orders versions by SemVer 2.0 precedence; an empty prerelease sorts before every other one. */
  private static int compare(Version a, Version b) {
    for (int i = 0; i < 3; i++) {
      int order = a.part(i).compareTo(b.part(i));
      if (order != 0) {
        return order;
      }
    }
    String left = a.prerelease();
    String right = b.prerelease();
    if (left == null || right == null) {
      return left == null ? (right == null ? 0 : 1) : -1;
    }
    String[] leftParts = left.split("\\.");
    String[] rightParts = right.split("\\.");
    for (int i = 0; i < Math.min(leftParts.length, rightParts.length); i++) {
      String x = leftParts[i];
      String y = rightParts[i];
      boolean xNumeric = x.matches("\\d+");
      boolean yNumeric = y.matches("\\d+");
      int order;
      if (xNumeric && yNumeric) {
        order = new BigInteger(x).compareTo(new BigInteger(y));
      } else if (xNumeric || yNumeric) {
        order = xNumeric ? -1 : 1;
      } else {
        order = x.compareTo(y);
      }
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(leftParts.length, rightParts.length);
  }

  private static Version parse(String text, int argument) throws ValueException {
    Matcher matcher = VERSION.matcher(text.strip());
    if (!matcher.matches()) {
      throw new ValueException(argument, argument == 0
          ? "invalid semantic version \"" + text + "\""
          : "invalid version constraint \"" + text + "\"");
    }
    return new Version(number(matcher.group(1)), number(matcher.group(2)), number(matcher.group(3)),
        matcher.group(4));
  }

  private static BigInteger number(String part) {
    return part == null || part.matches("[xX*]") ? null : new BigInteger(part);
  }
}
