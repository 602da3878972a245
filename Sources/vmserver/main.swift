import VMService
