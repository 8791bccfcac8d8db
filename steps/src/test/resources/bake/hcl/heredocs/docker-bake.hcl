variable "PKGS" {
  default = ["curl", "git"]
}
variable "EXTRA" {
  default = ""
}

group "default" {
  targets = ["indented", "flush", "directives"]
}

target "indented" {
  context           = "."
  dockerfile-inline = <<-EOT
      FROM scratch
        RUN echo ${PKGS[0]}

      LABEL x=y
    EOT
}

target "flush" {
  context = "."
  dockerfile-inline = <<EOT
FROM scratch
  RUN echo "${join(" ", PKGS)}" \
    && true
EOT
  args = {
    ONE_LINE = <<-EOT
    single
    EOT
  }
}

target "directives" {
  context           = "."
  dockerfile-inline = <<-EOT
    FROM scratch
    %{~ for p in PKGS }
    RUN install ${p}
    %{~ endfor }
    %{ if EXTRA != "" }RUN ${EXTRA}%{ else }# none%{ endif }
    ${PKGS[1]} at line start
    EOT
  args = {
    A = "x ${~ "  y  " ~} z"
    B = "${PKGS[0]} ${~ PKGS[1]}"
    C = "%{ for p in PKGS ~} [${p}] %{~ endfor }"
    D = true ? 1 : "s"
    E = false ? "s" : 2.50
  }
}
