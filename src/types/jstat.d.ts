/** The part of jStat (MIT, no bundled types) that nas-surgery uses. */
declare module 'jstat' {
  interface JStat {
    studentt: {
      /** Quantile function of Student's t with `dof` degrees of freedom. */
      inv(p: number, dof: number): number;
    };
  }
  const pkg: { jStat: JStat };
  export default pkg;
}
