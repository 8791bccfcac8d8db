package dev.depotrunner.steps.build.options;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells remote build contexts from local paths the way buildx does: HTTP(S) URLs, and Git references as
 * BuildKit's Git URL parser reads them ({@code git://}, {@code ssh://}, {@code user@host:path},
 * {@code https://host/repo.git}, and the older {@code github.com/owner/repo} form).
 */
final class RemoteContexts {

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z0-9]+://");
  private static final Set<String> GIT_SCHEMES = Set.of("http", "https", "ssh", "git");
  private static final Pattern SCP_STYLE =
      Pattern.compile("^([a-zA-Z0-9_-]+)@([a-zA-Z0-9.-]+):(.*?)(?:\\?(.*?))?(?:#(.*))?$");

  private RemoteContexts() {}

  /** Returns whether the value names a remote context that BuildKit fetches itself. */
  static boolean isRemote(String value) {
    return isHttpUrl(value) || isGitReference(value);
  }

  static boolean isHttpUrl(String value) {
    return value.startsWith("http://") || value.startsWith("https://");
  }

  /** Returns whether the value is a Git repository reference. */
  static boolean isGitReference(String value) {
    if (value.startsWith("./") || value.startsWith("../")) {
      return false;
    }
    if (value.startsWith("github.com/")) {
      return true;
    }
    String scheme = scheme(value);
    if (scheme != null) {
      if (!GIT_SCHEMES.contains(scheme)) {
        return false;
      }
      if (scheme.equals("http") || scheme.equals("https")) {
        return urlPath(value).endsWith(".git");
      }
      return true;
    }
    return SCP_STYLE.matcher(value).matches();
  }

  /** Returns whether the value is a Git reference reached over SSH, which needs the default SSH agent. */
  static boolean isGitSsh(String value) {
    String scheme = scheme(value);
    if (scheme != null) {
      return scheme.equals("ssh");
    }
    return SCP_STYLE.matcher(value).matches();
  }

  /**
   * Returns whether a Git URL carries a query such as {@code ?ref=main}, which needs a frontend that reads
   * Git query strings.
   */
  static boolean hasGitQuery(String value) {
    String scheme = scheme(value);
    if (scheme != null) {
      if (!GIT_SCHEMES.contains(scheme)) {
        return false;
      }
      String withoutFragment = value.split("#", 2)[0];
      int query = withoutFragment.indexOf('?');
      return query >= 0 && query < withoutFragment.length() - 1;
    }
    Matcher scp = SCP_STYLE.matcher(value);
    return scp.matches() && scp.group(4) != null && !scp.group(4).isEmpty();
  }

  private static String scheme(String value) {
    Matcher matcher = SCHEME.matcher(value);
    if (!matcher.find()) {
      return null;
    }
    String scheme = matcher.group();
    return scheme.substring(0, scheme.length() - 3).toLowerCase(Locale.ROOT);
  }

  private static String urlPath(String value) {
    String rest = value.substring(value.indexOf("://") + 3);
    rest = rest.split("[?#]", 2)[0];
    int slash = rest.indexOf('/');
    return slash < 0 ? "" : rest.substring(slash);
  }
}
