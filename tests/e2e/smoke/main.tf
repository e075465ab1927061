# The smallest proof that the toolchain works: hashicorp/external from the mirror runs Python.
terraform {
  required_providers {
    external = {
      source = "hashicorp/external"
    }
  }
}

data "external" "python" {
  program = ["python3", "-c", "import json, sys; query = json.load(sys.stdin); print(json.dumps({'echo': query['word'], 'python': sys.version.split()[0]}))"]
  query   = { word = "hello" }
}

output "echo" {
  value = data.external.python.result.echo
}

output "python" {
  value = data.external.python.result.python
}
