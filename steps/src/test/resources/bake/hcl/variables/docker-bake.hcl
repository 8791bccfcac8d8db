variable "TAG" {
  default = "latest"
}
variable "REGISTRY" {
  default = "registry.local"
}
variable "IMAGE" {
  default = "${REGISTRY}/app:${TAG}"
}
variable "PUSH" {
  default = false
}
variable "REPLICAS" {
  default = 2
}
variable "EMPTY" {}
variable "NULLED" {
  default = null
}
variable "FROM_JSON" {
  type    = list(string)
  default = ["x"]
}
GLOBAL = "global-${TAG}"

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  tags       = [IMAGE, "${REGISTRY}/app:${GLOBAL}"]
  args = {
    PUSH      = PUSH ? "yes" : "no"
    REPLICAS  = REPLICAS + 1
    EMPTY     = "[${EMPTY}]"
    NULLED    = NULLED == null ? "null" : NULLED
    FROM_JSON = join(",", FROM_JSON)
  }
}
