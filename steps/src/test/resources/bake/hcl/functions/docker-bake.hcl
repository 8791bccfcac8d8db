function "tag" {
  params = [name, version]
  result = "${name}:${version}"
}
function "tags" {
  params          = [name]
  variadic_params = versions
  result          = [for v in versions : tag(name, v)]
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = tags("repo/app", "1.0", "latest")
  args = {
    UPPER      = upper("abc")
    LOWER      = lower("ABC")
    JOIN       = join("-", ["a", "b"], ["c"])
    FORMAT     = format("%s-%03d-%.2f-%v-%t-%q", "x", 7, 3.14159, "v", true, "q")
    FORMATLIST = join(",", formatlist("%s=%d", ["a", "b"], [1, 2]))
    SPLIT      = length(split(",", "a,b,c"))
    REPLACE    = replace("a.b.c", ".", "/")
    REGEX_REP  = regex_replace("v1.2.3", "^v([0-9]+)\\..*$", "major-$1")
    REGEX      = regex("[0-9]+", "abc123def")
    REGEXALL   = length(regexall("[a-z]", "a1b2c3"))
    TRIM       = "${trim("--x--", "-")}|${trimprefix("v1.0", "v")}|${trimsuffix("a.tar", ".tar")}|${trimspace("  s  ")}"
    CHOMP      = chomp("line\n\n")
    SUBSTR     = substr("hello world", 6, 5)
    TITLE      = title("hello wide world")
    STRLEN     = strlen("héllo")
    REVERSE    = reverse("abc")
    COALESCE   = coalesce(null, "first", "second")
    LOOKUP     = lookup({ a = "1" }, "b", "default")
    MERGE      = jsonencode(merge({ a = 1, b = 2 }, { b = 3, c = 4 }))
    KEYS       = join(",", keys({ z = 1, a = 2, m = 3 }))
    VALUES     = jsonencode(values({ z = 1, a = 2 }))
    FLATTEN    = jsonencode(flatten([[1, [2]], [3]]))
    DISTINCT   = jsonencode(distinct(["a", "b", "a"]))
    CONCAT     = jsonencode(concat(["a"], ["b", "c"]))
    ELEMENT    = element(["a", "b", "c"], 4)
    SLICE      = jsonencode(slice(["a", "b", "c", "d"], 1, 3))
    RANGE      = jsonencode(range(1, 10, 3))
    SORT       = jsonencode(sort(["c", "a", "b"]))
    CONTAINS   = contains(["a", "b"], "b")
    ZIPMAP     = jsonencode(zipmap(["a", "b"], [1, 2]))
    COMPACT    = jsonencode(compact(["a", "", "b"]))
    CHUNKLIST  = jsonencode(chunklist(["a", "b", "c"], 2))
    REVERSEL   = jsonencode(reverselist([1, 2, 3]))
    SETUNION   = jsonencode(setunion(["b", "a"], ["c", "a"]))
    SETPRODUCT = jsonencode(setproduct(["a", "b"], ["1"]))
    MATH       = "${absolute(-3)} ${ceil(1.2)} ${floor(1.8)} ${max(1, 7, 3)} ${min(4, 2)} ${pow(2, 10)} ${signum(-5)} ${parseint("ff", 16)} ${int(3.7)}"
    DIVIDE     = 10 / 4
    MODULO     = -7 % 3
    JSONDEC    = jsondecode("{\"a\": [1, true]}").a[0]
    SHA256     = sha256("hello")
    SHA1       = sha1("hello")
    MD5        = md5("hello")
    SHA512     = sha512("hello")
    BASE64     = base64encode("hello")
    BASE64DEC  = base64decode("aGVsbG8=")
    URLENCODE  = urlencode("a b&c=d/é")
    UUIDV5     = uuidv5("dns", "example.com")
    CIDRSUB    = cidrsubnet("10.0.0.0/16", 8, 2)
    CIDRHOST   = cidrhost("10.0.0.0/24", 5)
    CIDRMASK   = cidrnetmask("10.0.0.0/12")
    CIDRSUBS   = jsonencode(cidrsubnets("10.0.0.0/16", 4, 4, 8))
    CIDR6      = cidrsubnet("fd00::/48", 16, 1)
    FORMATDATE = formatdate("YYYY-MM-DD hh:mm:ss EEE MMM", "2024-03-05T07:08:09Z")
    TIMEADD    = timeadd("2024-01-01T00:00:00Z", "36h30m")
    SANITIZE   = sanitize("a/b:c.d")
    BASENAME   = basename("/a/b/c.txt")
    DIRNAME    = dirname("/a/b/c.txt")
    INDEXOF    = indexof(["a", "b", "c"], "c")
    TRY        = try(jsondecode("{"), "fallback")
    CAN        = can(regex("x", "abc"))
    HASINDEX   = hasindex(["a"], 1)
    CSV        = jsonencode(csvdecode("a,b\n1,2\n"))
    INDENT     = indent(2, "a\nb")
    NOT        = not(false)
    CONVERT    = jsonencode(convert(["1", 2], list(number)))
    EQUAL      = equal(1, 1)
    SETSUB     = jsonencode(setsubtract(["a", "b", "c"], ["b"]))
    SETINTER   = jsonencode(setintersection(["a", "b"], ["b", "c"]))
  }
}
