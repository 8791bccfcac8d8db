variable "PLATFORMS" {
  type    = list(string)
  default = ["linux/amd64"]
}
variable "LABELS" {
  type    = map(string)
  default = {}
}
variable "COUNT" {
  type    = number
  default = 1
}
variable "DEBUG" {
  type    = bool
  default = false
}
variable "NAMES" {
  type = list(string)
}
variable "SETTINGS" {
  type    = object({ level = number, name = optional(string) })
  default = { level = 1 }
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  platforms  = PLATFORMS
  labels     = LABELS
  args = {
    COUNT    = COUNT * 2
    DEBUG    = DEBUG
    NAMES    = NAMES == null ? "none" : join("+", NAMES)
    LEVEL    = SETTINGS.level
    NAME     = SETTINGS.name == null ? "unnamed" : SETTINGS.name
  }
}
