variable "BASE" {
  default = "hcl"
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = ["app:${BASE}"]
  args = {
    FROM = "hcl"
  }
}
