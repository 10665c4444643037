resource "terraform_data" "seed" {
  provisioner "local-exec" {
    command = "./seed-database.sh"
  }
}
