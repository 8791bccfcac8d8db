/** An HCL2 parser and expression evaluator, with line and column in every error. */
package dev.depotrunner.hcl;
