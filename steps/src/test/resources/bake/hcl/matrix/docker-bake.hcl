variable "VERSIONS" {
  default = ["1.0", "2.0"]
}

group "default" {
  targets = ["app", "single", "plain"]
}

target "app" {
  name       = "app-${os}-${replace(version, ".", "_")}"
  matrix = {
    os      = ["alpine", "debian"]
    version = VERSIONS
  }
  context    = "."
  dockerfile = "Dockerfile.${os}"
  tags       = ["repo/app:${version}-${os}"]
  args = {
    OS      = os
    VERSION = version
  }
}

target "single" {
  matrix = {
    mode = ["release"]
  }
  context    = "."
  dockerfile = "Dockerfile"
  args = {
    MODE = mode
  }
}

target "plain" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = [for t in target.app-alpine-1_0.tags : "${t}-copy"]
}
