// A third-party float client: Eigen's rank decisions with their default
// thresholds. Reads "m n" and m*n row-major doubles (hex floats, exact) on
// stdin; prints "fullpivlu R1 colpivqr R2".
#include <Eigen/Dense>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main()
{
    long m, n;
    if (!(std::cin >> m >> n) || m < 0 || n < 0) return 2;
    Eigen::MatrixXd A(m, n);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) {
            std::string t;
            if (!(std::cin >> t)) return 2;
            A(i, j) = std::strtod(t.c_str(), nullptr);
        }
    long r1 = 0, r2 = 0;
    if (m > 0 && n > 0) {
        r1 = Eigen::FullPivLU<Eigen::MatrixXd>(A).rank();
        r2 = Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(A).rank();
    }
    std::printf("fullpivlu %ld colpivqr %ld\n", r1, r2);
    return 0;
}
