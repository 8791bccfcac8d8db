variable "PORT" {
  default = 8080
  validation {
    condition     = PORT > 1024
    error_message = "PORT must be above 1024"
  }
  validation {
    condition     = PORT < 65536
    error_message = "PORT must be below 65536"
  }
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  args = {
    PORT = PORT
  }
}
