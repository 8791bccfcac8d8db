variable "N" {
  default = 7
}

group "default" {
  targets = ["app"]
}

target "app" {
  context    = "."
  dockerfile = "Dockerfile"
  args = {
    A = 1 + 2 * 3
    B = (1 + 2) * 3
    C = N % 4
    D = N / 2
    E = -N + 10
    F = N > 5 && N < 10
    G = !(N == 7) || false
    H = "1" + 1
    I = 10 - 3 - 2
    J = 2 * 3 % 4
    K = N >= 7 ? "ge" : "lt"
    L = 1 == 1.0
    M = [1, "a"] == [1, "a"]
    O = { a = 1 } != { a = 2 }
    P = 0.1 + 0.2
    Q = 1e3
    R = 5 - -2
  }
}
