variable "ITEMS" {
  default = ["a", "b", "c"]
}
variable "PEOPLE" {
  default = [{ name = "ann", age = 30 }, { name = "bob", age = 40 }]
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile-inline = <<-EOT
    FROM scratch
    %{ for item in ITEMS ~}
    COPY ${item} /${item}
    %{ endfor ~}
    %{ if length(ITEMS) > 2 }# many%{ else }# few%{ endif }
  EOT
  tags = [for i, s in ITEMS : "repo/${s}:${i}" if s != "b"]
  args = {
    NAMES     = join(",", PEOPLE[*].name)
    AGES      = jsonencode(PEOPLE.*.age)
    BYNAME    = jsonencode({ for p in PEOPLE : p.name => p.age })
    GROUPED   = jsonencode({ for s in ["x", "y", "x"] : s => s... })
    HEREDOC   = <<EOT
raw ${ITEMS[0]} \n text
EOT
    STRIP     = "a ${~ " b " ~} c"
    ESCAPES   = "tab\tq\"$${x} %%{y} \u00e9"
    COND      = length(ITEMS) > 1 ? "many" : "one"
    NESTED    = "${"inner ${ITEMS[1]}"}!"
    INTERP    = "${ITEMS[0]}${ITEMS[2]}"
  }
}
