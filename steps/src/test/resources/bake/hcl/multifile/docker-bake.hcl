variable "TAG" {
  default = "one"
}
variable "SHARED" {
  default = "from-first"
}

group "default" {
  targets = ["app", "other"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = ["app:${TAG}"]
  args = {
    A = "first"
    B = "first"
  }
  labels = {
    L = SECOND_ONLY
  }
}
