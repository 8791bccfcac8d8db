variable "TAG" {
  default = "two"
}
variable "SECOND_ONLY" {
  default = "defined-in-second-${SHARED}"
}

target "app" {
  tags = ["app:${TAG}-override"]
  args = {
    B = "second"
    C = "second"
  }
  platforms = ["linux/arm64"]
}

target "other" {
  context    = "."
  dockerfile = "Dockerfile.other"
}
