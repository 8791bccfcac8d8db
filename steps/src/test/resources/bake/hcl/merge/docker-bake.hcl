group "default" {
  targets = ["app"]
}

group "default" {
  targets = ["app", "lib"]
}

target "app" {
  context     = "."
  dockerfile  = "Dockerfile"
  description = "first"
  tags        = ["first"]
  platforms   = ["linux/amd64"]
  annotations = ["a=1"]
  args = {
    ONE = "1"
    TWO = "first"
  }
}

target "lib" {
  context    = "lib"
  dockerfile = "Dockerfile"
}

target "app" {
  tags        = ["second"]
  annotations = ["b=2"]
  dockerfile  = null
  args = {
    TWO   = "second"
    THREE = "3"
  }
}
